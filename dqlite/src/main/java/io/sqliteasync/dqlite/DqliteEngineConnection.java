package io.sqliteasync.dqlite;

import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.SqliteBusyException;
import io.sqliteasync.SqliteConstraintException;
import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.Capability;
import io.sqliteasync.internal.engine.Engine;
import io.sqliteasync.internal.engine.EngineConnection;
import io.sqliteasync.internal.engine.EngineStatement;
import io.sqliteasync.internal.sql.SqlScript;
import io.sqliteasync.internal.sql.SqlStatement;
import io.sqliteasync.internal.sql.SqlToken;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One engine connection over dqlite: a protocol connection to the current leader with the database open, replaced
 * when it breaks or the node stops leading. Owned by one worker thread; only {@link #interrupt()} comes from
 * others.
 *
 * <p>Failover. Every request goes through {@link #run}: a request that certainly did not run (no leader reachable
 * yet, or the node answered that it is not the leader) waits for a leader and is sent again, for up to
 * {@link DqliteClientOptions#failoverTimeout()}; a read that lost its connection outside a transaction is sent again
 * too. A change whose outcome is unknown (connection lost, or leadership lost, after it was sent) fails with
 * {@link DqliteUnknownOutcomeException} and is never sent again. Inside a transaction any lost connection loses the
 * transaction (the server rolls it back): the call fails, and so does every later statement until ROLLBACK.
 *
 * <p>Connection state that SQLite keeps per connection is restored on the new one where it can be: the pragmas that
 * configure a connection ({@code foreign_keys}, {@code query_only}, {@code busy_timeout}, ...) are replayed in
 * order; temporary tables and prepared statements are not carried over (statements are prepared again on first
 * use).
 */
final class DqliteEngineConnection implements EngineConnection {
    /** A connection idle for longer than this is checked for a peer that closed it before a request is sent. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Pragmas that configure the connection, not the database: replayed on a new connection. */
    private static final Set<String> CONNECTION_PRAGMAS = Set.of("foreign_keys", "query_only", "trusted_schema",
            "recursive_triggers", "temp_store", "cache_size", "busy_timeout", "defer_foreign_keys",
            "case_sensitive_like", "reverse_unordered_selects", "automatic_index", "cell_size_check",
            "ignore_check_constraints", "legacy_alter_table", "analysis_limit", "read_uncommitted", "threads",
            "soft_heap_limit", "hard_heap_limit", "mmap_size", "count_changes", "full_column_names",
            "short_column_names", "empty_result_callbacks");

    private final DqliteEngine engine;
    private final DqliteUrl url;
    private final DqliteConnector connector;
    private final DqliteClientOptions options;
    /** The connection to the leader; written by the owner, read by {@link #interrupt()} on any thread. */
    private volatile DqliteProtocolConnection conn;
    private int db;
    /** Bumped at each new connection: a statement prepared on an older one is prepared again. */
    private int generation;
    private ProgressHandler stopCheck;
    /** Set by {@link #interrupt()} before it closes the connection; read and cleared by the owner. */
    private volatile boolean interrupted;
    /** Pragma statements to replay on a new connection, each with whether it returns a row; in order. */
    private final Map<String, Boolean> pragmas = new LinkedHashMap<>();
    /** The statement text last remembered for each pragma name. */
    private final Map<String, String> pragmaText = new LinkedHashMap<>();
    private final TransactionTracker tx = new TransactionTracker();
    /** Why the transaction was lost with its connection; later statements fail until ROLLBACK. */
    private String transactionLost;
    private final List<TransactionListener> listeners = new ArrayList<>();
    /** The statement whose result set is still streaming on {@link #conn}. */
    private DqliteEngineStatement streaming;
    private long changes;
    private long totalChanges;
    private long lastInsertRowid;
    private String version;
    private boolean closed;

    DqliteEngineConnection(DqliteEngine engine, DqliteUrl url, DqliteConnector connector, ConnectionOptions o) {
        this.engine = engine;
        this.url = url;
        this.connector = connector;
        this.options = url.options();
        if (o.allowLoadExtension()) {
            engine.capabilities().require(Capability.LOAD_EXTENSION, "allowLoadExtension(true)");
        }
        try {
            connection(deadline(), null);
            setBusyTimeout((int) Math.min(Integer.MAX_VALUE, o.busyTimeout().toMillis()));
            if (o.readOnly()) {
                // dqlite has no read-only open: the connection refuses writes instead.
                exec("PRAGMA query_only = 1");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ the connection to the leader

    int generation() {
        return generation;
    }

    int db() {
        return db;
    }

    DqliteClientOptions options() {
        return options;
    }

    private long deadline() {
        return System.nanoTime() + options.failoverTimeout().toNanos();
    }

    /** The connection to the leader, found again (within the deadline) when there is none or it broke. */
    DqliteProtocolConnection connection(long deadline, String sql) {
        if (closed) {
            throw new io.sqliteasync.SqliteClosedException("the dqlite connection is closed", null);
        }
        DqliteProtocolConnection c = conn;
        if (c != null && !c.peerClosed(IDLE_CHECK_NANOS)) {
            return c;
        }
        drop(c);
        DqliteConnectException last = null;
        long pause = 20;
        for (int round = 0;; round++) {
            stopIfAsked(sql, "waiting for the dqlite leader");
            if (round > 0 && System.nanoTime() - deadline >= 0) {
                throw new DqliteConnectException("no dqlite leader of " + url.seeds() + " answered within the"
                        + " failover timeout of " + options.failoverTimeout().toMillis() + " ms: "
                        + (last == null ? "" : last.getMessage()), last);
            }
            DqliteProtocolConnection n;
            try {
                n = connector.connectToLeader();
            } catch (DqliteConnectException e) {
                last = e;
                sleep(Math.min(pause, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
                pause = Math.min(pause * 2, 500);
                continue;
            }
            try {
                db = n.open(url.database());
                for (Map.Entry<String, Boolean> p : pragmas.entrySet()) {
                    if (p.getValue()) {
                        // busy_timeout, for one, answers its new value.
                        try (DqliteRows r = n.querySql(db, p.getKey())) {
                            r.readAll();
                        }
                    } else {
                        n.execSql(db, p.getKey());
                    }
                }
                n.setWaitCheck(this::shouldStop);
            } catch (DqliteFailureException e) {
                n.close();
                if (e.isLeadershipChange()) {
                    continue;
                }
                throw e;
            } catch (DqliteConnectionLostException e) {
                n.close();
                last = new DqliteConnectException("the leader dropped the connection while the database was"
                        + " opened: " + e.getMessage(), e);
                continue;
            } catch (RuntimeException e) {
                n.close();
                throw e;
            }
            generation++;
            conn = n;
            return n;
        }
    }

    private void drop(DqliteProtocolConnection c) {
        if (c != null) {
            c.close();
        }
        if (conn == c) {
            conn = null;
        }
        if (streaming != null) {
            streaming.connectionDropped();
            streaming = null;
        }
    }

    private boolean shouldStop() {
        if (interrupted) {
            return true;
        }
        ProgressHandler h = stopCheck;
        return h != null && h.interrupt();
    }

    private void stopIfAsked(String sql, String what) {
        if (shouldStop()) {
            interrupted = false;
            throw interruptedError(sql, what, null);
        }
    }

    /**
     * Between two row batches: rows that keep arriving never let a read wait long enough for the wait check, so a
     * cancelled or expired query is stopped here, by closing the connection (the server stops sending).
     */
    void stopIfAskedWhileStreaming(String sql) {
        if (shouldStop()) {
            interrupted = false;
            boolean inTransaction = tx.active();
            drop(conn);
            if (inTransaction) {
                loseTransaction("the query was stopped, which closes the connection to the leader");
            }
            throw interruptedError(sql, "reading rows", null);
        }
    }

    private static SqliteException interruptedError(String sql, String what, Throwable cause) {
        return new SqliteException("interrupted while " + what + " (cancelled, interrupted or past its deadline)",
                SqliteException.SQLITE_INTERRUPT, sql, cause);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqliteException("interrupted while waiting for the dqlite leader",
                    SqliteException.SQLITE_INTERRUPT, null, e);
        }
    }

    /** Registers the statement whose result set now streams on the connection. */
    void streaming(DqliteEngineStatement st) {
        streaming = st;
    }

    void notStreaming(DqliteEngineStatement st) {
        if (streaming == st) {
            streaming = null;
        }
    }

    /** One request to the leader. */
    @FunctionalInterface
    interface Request<T> {
        T send(DqliteProtocolConnection c);
    }

    /**
     * Sends a request to the leader with the failover rules of the class comment.
     *
     * @param sql the statement, for messages
     * @param access what the request does, which decides what may be sent again
     * @param request the request
     * @return its result; {@code null} for a ROLLBACK that the lost connection did anyway
     */
    <T> T run(String sql, TransactionTracker.Access access, Request<T> request) {
        if (transactionLost != null) {
            return afterLostTransaction(sql, access);
        }
        long deadline = deadline();
        for (;;) {
            DqliteProtocolConnection c = connection(deadline, sql);
            if (streaming != null) {
                // The result set of an open cursor would block the connection: its rows are read into memory.
                DqliteEngineStatement s = streaming;
                streaming = null;
                s.bufferRest();
                if (!c.isOpen()) {
                    continue;
                }
            }
            boolean inTransaction = tx.active();
            try {
                return request.send(c);
            } catch (DqliteFailureException e) {
                if (!e.isLeadershipChange()) {
                    if (inTransaction) {
                        checkStillInTransaction(c);
                    }
                    throw classified(e, sql);
                }
                drop(c);
                if (inTransaction) {
                    return lost(sql, access, e);
                }
                if (e.isNotLeader() || access != TransactionTracker.Access.WRITE
                        && access != TransactionTracker.Access.COMMIT) {
                    if (System.nanoTime() - deadline >= 0) {
                        throw e;
                    }
                    continue;
                }
                throw unknown(sql, e);
            } catch (DqliteConnectionLostException | DqliteProtocolException e) {
                boolean stopped = c.wasStopped() || interrupted;
                drop(c);
                if (stopped) {
                    interrupted = false;
                    if (access == TransactionTracker.Access.COMMIT
                            || !inTransaction && access == TransactionTracker.Access.WRITE) {
                        // Closing the socket does not stop a commit the leader is already replicating.
                        tx.reset();
                        throw new DqliteUnknownOutcomeException("the statement was stopped (cancelled, interrupted or"
                                + " past its deadline) after it was sent to the dqlite leader, by closing the"
                                + " connection: the change may or may not be committed; it is not sent again", sql,
                                interruptedError(sql, "waiting for the dqlite leader's answer", e));
                    }
                    if (inTransaction) {
                        loseTransaction("the call was stopped, which closes the connection to the leader");
                    }
                    throw interruptedError(sql, "waiting for the dqlite leader's answer", e);
                }
                if (inTransaction) {
                    return lost(sql, access, e);
                }
                if (access != TransactionTracker.Access.WRITE && access != TransactionTracker.Access.COMMIT
                        && System.nanoTime() - deadline < 0) {
                    continue;
                }
                if (access == TransactionTracker.Access.WRITE || access == TransactionTracker.Access.COMMIT) {
                    throw unknown(sql, e);
                }
                throw e;
            }
        }
    }

    /** The failure as the library's busy or constraint exception, as the local engine reports them. */
    private static SqliteException classified(DqliteFailureException e, String sql) {
        int code = e.extendedResultCode();
        String message = e.getMessage();
        switch (code & 0xff) {
            case SqliteException.SQLITE_BUSY:
            case SqliteException.SQLITE_LOCKED:
                return new SqliteBusyException(message, code, sql, e);
            case SqliteException.SQLITE_CONSTRAINT:
                return new SqliteConstraintException(message, code, sql, e);
            default:
                return e;
        }
    }

    private <T> T afterLostTransaction(String sql, TransactionTracker.Access access) {
        String why = transactionLost;
        if (access == TransactionTracker.Access.ROLLBACK) {
            transactionLost = null;
            return null;
        }
        if (access == TransactionTracker.Access.COMMIT) {
            transactionLost = null;
            throw new DqliteException("nothing was committed: the transaction had been rolled back when " + why,
                    SQLITE_ABORT, sql, null);
        }
        throw new DqliteException("the transaction was rolled back when " + why + "; end it with ROLLBACK before"
                + " running more statements", SQLITE_ABORT, sql, null);
    }

    private static final int SQLITE_ABORT = 4;

    /** The connection broke (or leadership moved) inside a transaction. */
    private <T> T lost(String sql, TransactionTracker.Access access, DqliteException e) {
        switch (access) {
            case ROLLBACK:
                // The server rolls back a transaction whose connection is gone: the ROLLBACK is done.
                tx.reset();
                fire(TransactionTracker.Effect.ROLLBACK);
                return null;
            case COMMIT:
                tx.reset();
                throw unknown(sql, e);
            default:
                loseTransaction("the connection to the leader broke inside it (" + e.getMessage() + ")");
                throw new DqliteConnectionLostException("the connection to the dqlite leader broke inside a"
                        + " transaction, so the transaction was rolled back (nothing of it was committed); later"
                        + " statements fail until ROLLBACK: " + e.getMessage(), sql, e);
        }
    }

    private void loseTransaction(String why) {
        tx.reset();
        transactionLost = why;
        fire(TransactionTracker.Effect.ROLLBACK);
    }

    private static DqliteUnknownOutcomeException unknown(String sql, DqliteException e) {
        return new DqliteUnknownOutcomeException("the outcome of this statement is unknown: it was sent to the dqlite"
                + " leader, which then " + (e instanceof DqliteFailureException ? "lost its leadership"
                : "could no longer be reached") + " before it answered, so the change may or may not be committed;"
                + " it is not sent again (" + e.getMessage() + ")", sql, e);
    }

    /** After a failure inside a transaction: SQLite may have rolled it back (a full disk, ON CONFLICT ROLLBACK). */
    private void checkStillInTransaction(DqliteProtocolConnection c) {
        if (!c.isOpen()) {
            return;
        }
        try {
            c.execSql(db, "BEGIN");
        } catch (DqliteFailureException e) {
            return; // "cannot start a transaction within a transaction"
        } catch (RuntimeException e) {
            return;
        }
        try {
            c.execSql(db, "ROLLBACK");
        } catch (RuntimeException ignored) {
            // The probe's own transaction: dropping the connection would end it too.
            drop(c);
        }
        tx.reset();
        fire(TransactionTracker.Effect.ROLLBACK);
    }

    /** Follows a statement that succeeded: transaction state, listeners, pragmas to replay. */
    void succeeded(SqlStatement st, boolean rows) {
        fire(tx.apply(st));
        if (st.firstKeyword().equals("PRAGMA")) {
            rememberPragma(st, rows);
        }
    }

    private void rememberPragma(SqlStatement st, boolean rows) {
        String name = null;
        boolean assigns = false;
        String src = st.raw();
        int base = st.start();
        for (SqlToken t : st.tokens()) {
            if (t.isBlank()) {
                continue;
            }
            String text = src.substring(t.start() - base, t.end() - base);
            if (t.type() == SqlToken.Type.WORD && name == null && !text.equalsIgnoreCase("PRAGMA")) {
                name = text.toLowerCase(Locale.ROOT);
            } else if (t.type() == SqlToken.Type.OPERATOR && text.equals("=")) {
                assigns = true;
            } else if (t.type() == SqlToken.Type.LPAREN && name != null) {
                assigns = true;
            }
        }
        if (name != null && assigns && CONNECTION_PRAGMAS.contains(name)) {
            String old = pragmaText.remove(name);
            if (old != null) {
                pragmas.remove(old);
            }
            pragmaText.put(name, st.text());
            pragmas.put(st.text(), rows);
        }
    }

    private void fire(TransactionTracker.Effect e) {
        if (e == TransactionTracker.Effect.COMMIT || e == TransactionTracker.Effect.ROLLBACK) {
            for (TransactionListener l : List.copyOf(listeners)) {
                if (e == TransactionTracker.Effect.COMMIT) {
                    l.onCommit();
                } else {
                    l.onRollback();
                }
            }
        }
    }

    void recordChanges(SqlStatement st, long rows, long lastId) {
        if (st.isDml()) {
            changes = rows;
            totalChanges += rows;
            lastInsertRowid = lastId;
        }
    }

    void recordReturningChanges(long rows) {
        changes = rows;
        totalChanges += rows;
    }

    void recordLastInsertRowid(long id) {
        lastInsertRowid = id;
    }

    static SqlStatement parse(String sql) {
        List<SqlStatement> all = SqlScript.split(sql);
        if (all.size() != 1) {
            throw new SqliteException(all.isEmpty() ? "no SQL statement in the text" : "more than one statement",
                    SqliteException.SQLITE_MISUSE, sql, null);
        }
        return all.get(0);
    }

    // ------------------------------------------------------------------ EngineConnection

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public EngineStatement prepare(String sql) {
        return new DqliteEngineStatement(this, sql, parse(sql));
    }

    /**
     * Runs each statement of the script as SQL text, in order, without parameters (as {@code sqlite3_exec} binds
     * none); statements that return rows are read through and their rows dropped.
     */
    @Override
    public void exec(String script) {
        for (SqlStatement st : SqlScript.split(script)) {
            String text = st.text();
            boolean rows = st.kind() == SqlStatement.Kind.QUERY || st.kind() == SqlStatement.Kind.WRITE_ROWS
                    || st.firstKeyword().equals("PRAGMA");
            if (rows && st.firstKeyword().equals("PRAGMA")) {
                // A pragma may return rows or not; the query request refuses one without columns.
                DqliteEngineStatement s = new DqliteEngineStatement(this, text, st);
                try {
                    s.execute();
                } finally {
                    s.close();
                }
                continue;
            }
            if (rows) {
                run(text, access(st), c -> {
                    try (DqliteRows r = c.querySql(db, text)) {
                        r.readAll();
                    }
                    return null;
                });
                succeeded(st, true);
                continue;
            }
            DqliteExecResult r = run(text, access(st), c -> c.execSql(db, text));
            succeeded(st, false);
            if (r != null) {
                recordChanges(st, r.rowsAffected(), r.lastInsertId());
            }
        }
    }

    TransactionTracker.Access access(SqlStatement st) {
        return tx.access(st);
    }

    /**
     * Finalizes a statement prepared on the connection of generation {@code g}, if that connection is still the one
     * in use and free; a failure closes the connection, which the next request replaces.
     */
    void finalizeQuietly(DqliteStatement handle, int g) {
        DqliteProtocolConnection c = conn;
        if (c == null || !c.isOpen() || g != generation || streaming != null) {
            return;
        }
        try {
            c.finalizeStatement(handle);
        } catch (DqliteFailureException e) {
            // Unknown to the server already: nothing to release.
        } catch (RuntimeException e) {
            drop(c);
        }
    }

    @Override
    public long changes() {
        return changes;
    }

    @Override
    public long totalChanges() {
        return totalChanges;
    }

    @Override
    public long lastInsertRowid() {
        return lastInsertRowid;
    }

    @Override
    public boolean inTransaction() {
        return tx.active() || transactionLost != null;
    }

    /** Stops the running request by closing the connection to the leader: dqlite reads no request while it runs one. */
    @Override
    public void interrupt() {
        DqliteProtocolConnection c = conn;
        if (c != null) {
            interrupted = true;
            c.close();
        }
    }

    /**
     * Sets the check the engine asks every 50 ms while it waits for the leader (the worker's cancellation and
     * deadline check); a user progress handler is refused by the worker, which requires
     * {@link Capability#PROGRESS_HANDLER} for it.
     */
    @Override
    public void setProgressHandler(int steps, ProgressHandler handler) {
        stopCheck = handler;
    }

    @Override
    public void setBusyTimeout(int millis) {
        exec("PRAGMA busy_timeout = " + millis);
    }

    @Override
    public void setBusyHandler(BusyHandler handler) {
        engine.capabilities().require(Capability.BUSY_HANDLER, "setBusyHandler");
    }

    @Override
    public void createFunction(String name, int nArgs, boolean deterministic, ScalarFunction function) {
        engine.capabilities().require(Capability.USER_FUNCTIONS, "createFunction");
    }

    @Override
    public void createAggregate(String name, int nArgs, Supplier<? extends AggregateFunction> factory) {
        engine.capabilities().require(Capability.USER_FUNCTIONS, "createAggregate");
    }

    @Override
    public void createWindow(String name, int nArgs, Supplier<? extends AggregateFunction> factory) {
        engine.capabilities().require(Capability.USER_FUNCTIONS, "createWindow");
    }

    @Override
    public void createCollation(String name, Comparator<String> collation) {
        engine.capabilities().require(Capability.COLLATIONS, "createCollation");
    }

    @Override
    public void setUpdateListener(UpdateListener listener) {
        engine.capabilities().require(Capability.HOOKS, "setUpdateHook");
    }

    /** Listeners of the commits and rollbacks the engine follows (the worker's own bookkeeping, not user hooks). */
    @Override
    public void addTransactionListener(TransactionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeTransactionListener(TransactionListener listener) {
        listeners.remove(listener);
    }

    @Override
    public String libraryVersion() {
        if (version == null) {
            EngineStatement s = prepare("SELECT sqlite_version()");
            try {
                Object[] v = new Object[1];
                if (s.start()) {
                    s.fetch(row -> v[0] = row[0], 1);
                }
                version = String.valueOf(v[0]);
            } finally {
                s.close();
            }
        }
        return version;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type == java.sql.Connection.class) {
            engine.capabilities().require(Capability.JDBC_CONNECTION, "a raw java.sql.Connection");
        }
        throw new SqliteException("the dqlite engine has no object of type " + type.getName(),
                SqliteException.SQLITE_MISUSE, null, null);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Closes the socket; the server finalizes the statements and rolls back an open transaction. */
    @Override
    public void close() {
        closed = true;
        DqliteProtocolConnection c = conn;
        conn = null;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public String toString() {
        return "dqlite " + url;
    }
}
