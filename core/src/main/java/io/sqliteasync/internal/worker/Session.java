package io.sqliteasync.internal.worker;

import io.sqliteasync.BatchMode;
import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.ExecuteResult;
import io.sqliteasync.Row;
import io.sqliteasync.RowMetadata;
import io.sqliteasync.SqlAggregate;
import io.sqliteasync.SqlBusyHandler;
import io.sqliteasync.SqlCollation;
import io.sqliteasync.SqlScalarFunction;
import io.sqliteasync.SqlTransactionHook;
import io.sqliteasync.SqlUpdateHook;
import io.sqliteasync.SqlWindowFunction;
import io.sqliteasync.SqliteClosedException;
import io.sqliteasync.SqliteException;
import io.sqliteasync.codec.CodecRegistry;
import io.sqliteasync.internal.engine.Capabilities;
import io.sqliteasync.internal.engine.Capability;
import io.sqliteasync.internal.engine.Engine;
import io.sqliteasync.internal.engine.EngineConnection;
import io.sqliteasync.internal.engine.EngineStatement;
import io.sqliteasync.internal.engine.StatementResult;
import io.sqliteasync.internal.sql.SqlParameters;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One open SQLite connection and everything tied to it: the statement cache, the open cursors, binding through the
 * codecs and reading rows into {@link Row}s. Written against the engine seam ({@link EngineConnection},
 * {@link EngineStatement}) only. Every method runs on the connection's worker thread and nowhere else; nothing here
 * is thread-safe, by design.
 */
public final class Session {
    /** The largest initial capacity of a fetched batch's list; longer batches grow it. */
    private static final int FETCH_CAPACITY = 1024;
    private final EngineConnection connection;
    private final Capabilities capabilities;
    private final StatementCache statements;
    /** The open cursors' statements; the cursors themselves are not held here (see {@link OpenCursor}). */
    private final Set<OpenCursor> cursors = Collections.newSetFromMap(new IdentityHashMap<>());
    private final int prefetch;
    private final CodecRegistry codecs;
    /** Parsed parameter names of recent statements bound by name, least recently used evicted first. */
    private final Map<String, SqlParameters> parameters = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SqlParameters> eldest) {
            return size() > 64;
        }
    };

    private final ConnectionWorker worker;
    private SqlTransactionHook commitHook;
    private SqlTransactionHook rollbackHook;
    private EngineConnection.TransactionListener hookListener;
    /** Commits and rollbacks seen since {@link #transactionEnds()} was first called; worker thread only. */
    private long transactionEnds;
    private boolean countingTransactionEnds;

    private Session(EngineConnection connection, ConnectionOptions options, ConnectionWorker worker) {
        this.connection = connection;
        this.capabilities = connection.engine().capabilities();
        this.worker = worker;
        this.statements = new StatementCache(connection, options.statementCacheSize());
        this.prefetch = options.prefetch();
        this.codecs = options.codecs();
    }

    static Session open(ConnectionOptions options, ConnectionWorker worker) {
        Engine engine = EngineSelection.forLocation(options.path());
        Errors.register(engine);
        EngineConnection c;
        try {
            c = engine.open(options);
        } catch (RuntimeException e) {
            throw openFailure(options, e);
        }
        try {
            // Security default: functions not marked innocuous cannot run from the schema (views, triggers).
            c.exec(options.trustedSchema() ? "PRAGMA trusted_schema=ON" : "PRAGMA trusted_schema=OFF");
            OpenPragmas.apply(c, options.pragmas(), engine.managedPragmas());
            // SQLite opens files lazily; reading the header now turns "file is not a database" into an open
            // failure instead of a surprise on the first query.
            c.exec("PRAGMA schema_version");
            if (engine.capabilities().has(Capability.PROGRESS_HANDLER)
                    || engine.capabilities().has(Capability.STOP_CHECK)) {
                // Checks for cancellation and deadlines every few thousand VM steps (see
                // https://www.sqlite.org/c3ref/progress_handler.html), or, for a remote engine, while it waits.
                c.setProgressHandler(options.progressSteps(), worker::shouldInterrupt);
            }
        } catch (RuntimeException e) {
            try {
                c.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw openFailure(options, e);
        }
        return new Session(c, options, worker);
    }

    private static SqliteException openFailure(ConnectionOptions options, Exception e) {
        SqliteException mapped = Errors.map(e, null);
        String hint = "";
        if (mapped.resultCode() == SqliteException.SQLITE_CANTOPEN && !options.create()) {
            hint = " (create is off: the file must exist)";
        }
        return new SqliteException("cannot open database '" + options.path() + "'" + hint + ": "
                + mapped.getMessage(), mapped.extendedResultCode(), null, e);
    }

    /**
     * The raw JDBC connection, for {@code run} blocks and initializers.
     *
     * @return the connection; valid only on the worker thread
     * @throws SqliteException when the engine has no JDBC connection ({@link Capability#JDBC_CONNECTION})
     */
    public Connection connection() {
        capabilities.require(Capability.JDBC_CONNECTION, "a raw java.sql.Connection (run, initializer)");
        return connection.unwrap(Connection.class);
    }

    /**
     * The engine connection, for code of the library that works below the session (backup, serialize).
     *
     * @return the connection; valid only on the worker thread
     */
    public EngineConnection engineConnection() {
        return connection;
    }

    ConnectionWorker worker() {
        return worker;
    }

    /**
     * The SQLite library version.
     *
     * @return for example {@code 3.53.2}
     */
    public String libraryVersion() {
        return connection.libraryVersion();
    }

    /**
     * Sets the user's progress handler next to the internal one; see
     * {@link ConnectionWorker#setUserProgressHandler}.
     *
     * @param steps the VM steps wanted between calls
     * @param handler the handler, or {@code null} to remove it
     */
    public void setProgressHandler(int steps, io.sqliteasync.SqlProgressHandler handler) {
        capabilities.require(Capability.PROGRESS_HANDLER, "setProgressHandler");
        worker.setUserProgressHandler(steps, handler);
    }

    /**
     * Rows changed by the most recent INSERT, UPDATE or DELETE ({@code sqlite3_changes64}).
     *
     * @return the count
     */
    public long changes() {
        return connection.changes();
    }

    /**
     * Rows changed since the connection opened ({@code sqlite3_total_changes64}).
     *
     * @return the count
     */
    public long totalChanges() {
        return connection.totalChanges();
    }

    /**
     * The rowid of the most recent successful INSERT ({@code sqlite3_last_insert_rowid}).
     *
     * @return the rowid, 0 when none
     */
    public long lastInsertRowid() {
        return connection.lastInsertRowid();
    }

    /**
     * The options SQLite was compiled with ({@code PRAGMA compile_options}).
     *
     * @return the options, without the {@code SQLITE_} prefix, in SQLite's order
     */
    public List<String> compileOptions() {
        List<Row> rows = query("PRAGMA compile_options", new Object[0], Integer.MAX_VALUE);
        List<String> out = new java.util.ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(r.getString(0));
        }
        return List.copyOf(out);
    }

    /**
     * Runs one statement.
     *
     * @param sql the statement
     * @param args its parameters
     * @return rows changed and the last insert rowid
     */
    public ExecuteResult execute(String sql, Object[] args) {
        EngineStatement st = null;
        boolean reusable = false;
        try {
            st = statements.acquire(sql);
            bind(st, args, sql);
            StatementResult r = st.execute();
            reusable = true;
            return new ExecuteResult(r.changes(), r.lastInsertRowid());
        } catch (RuntimeException e) {
            throw failure(e, sql);
        } finally {
            giveBack(sql, st, reusable);
        }
    }

    /**
     * Runs one statement once per parameter set.
     *
     * @param sql the statement
     * @param sets the parameter sets
     * @param mode atomic (inside a savepoint) or one autocommit execution per set
     * @return total rows changed and the last insert rowid
     */
    public ExecuteResult executeMany(String sql, List<Object[]> sets, BatchMode mode) {
        boolean atomic = mode == BatchMode.ATOMIC;
        EngineStatement st = null;
        boolean reusable = false;
        boolean savepoint = false;
        try {
            st = statements.acquire(sql);
            int expected = st.parameterCount();
            List<Object[]> values = new ArrayList<>(sets.size());
            for (int i = 0; i < sets.size(); i++) {
                Object[] set = sets.get(i);
                if (set.length != expected || set.length == 1) {
                    String where = " in parameter set " + i;
                    set = byName(set, expected, sql, where);
                    checkCount(expected, set.length, sql, where);
                }
                values.add(set);
            }
            if (st.columnCount() > 0) {
                throw new SqliteException("executeMany runs statements that return no rows, and this one returns"
                        + " columns (a query, or RETURNING): run it with execute or fetchAll per parameter set",
                        SqliteException.SQLITE_MISUSE, sql, null);
            }
            for (int i = 0; i < values.size(); i++) {
                // The sets are the caller's copies (or arrays made from named arguments): converted in place.
                Object[] set = values.get(i);
                for (int p = 0; p < set.length; p++) {
                    set[p] = storageValue(set[p], p + 1, sql, i);
                }
            }
            if (atomic) {
                connection.exec("SAVEPOINT sqlite_async_many");
                savepoint = true;
            }
            StatementResult r = st.executeBatch(values);
            if (savepoint) {
                // A RELEASE that fails (a busy commit) leaves the savepoint open: the catch below rolls it back.
                exec("RELEASE sqlite_async_many");
                savepoint = false;
            }
            reusable = true;
            return new ExecuteResult(r.changes(), r.lastInsertRowid());
        } catch (RuntimeException e) {
            if (savepoint) {
                try {
                    exec("ROLLBACK TO sqlite_async_many");
                    try {
                        exec("RELEASE sqlite_async_many");
                    } catch (RuntimeException releaseFailure) {
                        // Only releasing the outermost savepoint commits, and only a commit can fail here (busy):
                        // the savepoint opened the transaction, so rolling all of it back drops nothing else.
                        exec("ROLLBACK");
                    }
                } catch (RuntimeException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
            }
            throw failure(e, sql);
        } finally {
            giveBack(sql, st, reusable);
        }
    }

    /**
     * Runs a script of any number of statements without parameters ({@code sqlite3_exec}).
     *
     * @param sql the script
     */
    public void executeScript(String sql) {
        exec(sql);
    }

    private void exec(String sql) {
        StatementCache.refuseNul(sql);
        try {
            connection.exec(sql);
        } catch (RuntimeException e) {
            throw failure(e, sql);
        }
    }

    /**
     * Runs a query and reads up to {@code max} rows, then resets it.
     *
     * @param sql the query
     * @param args its parameters
     * @param max the most rows to read
     * @return the rows
     */
    public List<Row> query(String sql, Object[] args, int max) {
        EngineStatement st = null;
        boolean reusable = false;
        try {
            st = statements.acquire(sql);
            bind(st, args, sql);
            requireColumns(st, sql);
            List<Row> rows = new ArrayList<>(Math.min(max, 16));
            if (st.start()) {
                RowMetadata metadata = metadata(st);
                st.fetch(values -> rows.add(new Row(metadata, values)), max);
            }
            reusable = true;
            return rows;
        } catch (RuntimeException e) {
            throw failure(e, sql);
        } finally {
            giveBack(sql, st, reusable);
        }
    }

    /**
     * Starts a cursor's query: prepares, binds and runs it to its first row. A query without rows is exhausted at
     * once and holds nothing.
     *
     * @param cursor the cursor
     */
    public void openCursor(CursorState cursor) {
        if (cursor.closeRequested || cursor.closed) {
            cursor.closed = true;
            return;
        }
        EngineStatement st = null;
        try {
            st = statements.acquire(cursor.sql);
            bind(st, cursor.args, cursor.sql);
            requireColumns(st, cursor.sql);
            boolean row = st.start();
            cursor.metadata = metadata(st);
            if (!row) {
                cursor.exhausted = true;
                cursor.closed = true;
                cursor.released = true;
                giveBack(cursor.sql, st, true);
                return;
            }
            OpenCursor open = new OpenCursor(cursor.sql, cursor.origin, st);
            cursor.open = open;
            cursors.add(open);
            open.watch(cursor, worker);
        } catch (RuntimeException e) {
            cursor.closed = true;
            cursor.released = true;
            giveBack(cursor.sql, st, false);
            throw failure(e, cursor.sql);
        }
    }

    /**
     * Starts a cursor's query with {@code PRAGMA query_only} switched on, then restores the previous setting: for a
     * connection that serves both reads and writes, so that a read-only cursor cannot write (a write statement
     * does its work while it runs to its first row).
     *
     * @param cursor the cursor
     */
    public void openCursorQueryOnly(CursorState cursor) {
        boolean was = query("PRAGMA query_only", new Object[0], 1).get(0).getLong(0) != 0;
        if (!was) {
            executeScript("PRAGMA query_only = 1");
        }
        try {
            openCursor(cursor);
        } finally {
            if (!was) {
                executeScript("PRAGMA query_only = 0");
            }
        }
    }

    /**
     * Steps a cursor up to {@code n} more rows. When the query ends, the statement is reset and returned to the
     * cache at once.
     *
     * @param cursor the cursor
     * @param n the most rows to step; {@code Integer.MAX_VALUE} for all
     * @return the rows and whether the query is exhausted
     */
    public Batch fetch(CursorState cursor, int n) {
        if (cursor.closed) {
            if (cursor.exhausted) {
                return new Batch(List.of(), true);
            }
            throw new SqliteClosedException("the cursor is closed", null);
        }
        if (cursor.closeRequested) {
            closeCursor(cursor);
            return new Batch(List.of(), true);
        }
        try {
            // Sized for the batch, but not beyond FETCH_CAPACITY: a large prefetch would otherwise allocate (and
            // zero) its whole array for every batch, however few rows the query has left.
            List<Row> rows = new ArrayList<>(Math.min(Math.min(n, prefetch), FETCH_CAPACITY));
            RowMetadata metadata = cursor.metadata;
            boolean more = cursor.open.statement.fetch(values -> rows.add(new Row(metadata, values)), n);
            if (!more) {
                cursor.exhausted = true;
                release(cursor, true);
            }
            return new Batch(rows, !more);
        } catch (RuntimeException e) {
            release(cursor, false);
            throw failure(e, cursor.sql);
        }
    }

    /**
     * Closes a cursor: resets its statement and returns it to the cache. Idempotent.
     *
     * @param cursor the cursor
     */
    public void closeCursor(CursorState cursor) {
        cursor.closeRequested = true;
        if (!cursor.closed) {
            release(cursor, true);
        }
    }

    private void release(CursorState cursor, boolean reusable) {
        cursor.closed = true;
        cursor.released = true;
        OpenCursor open = cursor.open;
        cursor.open = null;
        if (open != null) {
            release(open, reusable);
        }
    }

    private void release(OpenCursor open, boolean reusable) {
        cursors.remove(open);
        EngineStatement st = open.statement;
        open.statement = null;
        open.done();
        giveBack(open.sql, st, reusable);
    }

    /**
     * Closes a cursor whose caller dropped it without closing it: queued by the cleaner once the cursor became
     * unreachable. Does nothing if it was closed meanwhile.
     *
     * @param open the worker's record of the cursor
     */
    void closeAbandoned(OpenCursor open) {
        if (cursors.contains(open)) {
            release(open, true);
        }
    }

    /**
     * Registers a scalar function.
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any
     * @param deterministic whether SQLite may assume equal arguments give equal results
     * @param fn the function
     */
    public void createFunction(String name, int nArgs, boolean deterministic, SqlScalarFunction fn) {
        capabilities.require(Capability.USER_FUNCTIONS, "createFunction");
        connection.createFunction(name, nArgs, deterministic, Callbacks.scalar(worker, name, fn));
    }

    /**
     * Registers an aggregate function.
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any
     * @param factory makes the state of one group
     */
    public void createAggregate(String name, int nArgs, Supplier<? extends SqlAggregate> factory) {
        capabilities.require(Capability.USER_FUNCTIONS, "createAggregate");
        connection.createAggregate(name, nArgs, Callbacks.aggregate(worker, name, factory));
    }

    /**
     * Registers a window function.
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any
     * @param factory makes the state of one window
     */
    public void createWindow(String name, int nArgs, Supplier<? extends SqlWindowFunction> factory) {
        capabilities.require(Capability.USER_FUNCTIONS, "createWindow");
        connection.createWindow(name, nArgs, Callbacks.window(worker, name, factory));
    }

    /**
     * Registers a collation.
     *
     * @param name the collation name
     * @param collation the comparison
     */
    public void createCollation(String name, SqlCollation collation) {
        capabilities.require(Capability.COLLATIONS, "createCollation");
        connection.createCollation(name, Callbacks.collation(worker, name, collation));
    }

    /**
     * Sets or clears the update hook.
     *
     * @param hook the hook, or {@code null} to clear it
     */
    public void setUpdateHook(SqlUpdateHook hook) {
        if (hook == null && !capabilities.has(Capability.HOOKS)) {
            return;
        }
        capabilities.require(Capability.HOOKS, "setUpdateHook");
        connection.setUpdateListener(hook == null ? null : Callbacks.update(worker, hook));
    }

    /**
     * How many transactions this connection has committed or rolled back since the first call of this method (the
     * first call starts counting, with a listener that stays for the connection's life): lets a caller see whether
     * a script it ran ended the transaction, even if the script then began another.
     *
     * @return the count
     */
    public long transactionEnds() {
        if (!countingTransactionEnds) {
            if (!capabilities.has(Capability.TRANSACTION_STATE)) {
                // An engine that tracks transactions itself reports their ends without user hooks.
                capabilities.require(Capability.HOOKS, "counting transaction ends");
            }
            countingTransactionEnds = true;
            connection.addTransactionListener(new EngineConnection.TransactionListener() {
                @Override
                public void onCommit() {
                    transactionEnds++;
                }

                @Override
                public void onRollback() {
                    transactionEnds++;
                }
            });
        }
        return transactionEnds;
    }

    /**
     * Sets or clears the commit hook.
     *
     * @param hook the hook, or {@code null}
     */
    public void setCommitHook(SqlTransactionHook hook) {
        commitHook = hook;
        resetTransactionListener("setCommitHook");
    }

    /**
     * Sets or clears the rollback hook.
     *
     * @param hook the hook, or {@code null}
     */
    public void setRollbackHook(SqlTransactionHook hook) {
        rollbackHook = hook;
        resetTransactionListener("setRollbackHook");
    }

    private void resetTransactionListener(String what) {
        if (hookListener != null) {
            connection.removeTransactionListener(hookListener);
            hookListener = null;
        }
        if (commitHook != null || rollbackHook != null) {
            capabilities.require(Capability.HOOKS, what);
            hookListener = Callbacks.transaction(worker, commitHook, rollbackHook);
            connection.addTransactionListener(hookListener);
        }
    }

    /**
     * Sets the busy handler, or restores the busy timeout.
     *
     * @param handler the handler, or {@code null} for the configured busy timeout
     * @param busyTimeoutMillis the timeout restored when {@code handler} is {@code null}
     */
    public void setBusyHandler(SqlBusyHandler handler, int busyTimeoutMillis) {
        if (handler == null) {
            connection.setBusyTimeout(busyTimeoutMillis);
        } else {
            capabilities.require(Capability.BUSY_HANDLER, "setBusyHandler");
            connection.setBusyHandler(Callbacks.busy(worker, handler));
        }
    }

    /**
     * Commits the open transaction; does nothing when none is open.
     */
    public void commit() {
        endTransaction("COMMIT");
    }

    /**
     * Rolls back the open transaction; does nothing when none is open.
     */
    public void rollback() {
        endTransaction("ROLLBACK");
    }

    private void endTransaction(String sql) {
        if (inTransaction()) {
            exec(sql);
        }
    }

    /**
     * Whether a transaction is open. An engine that knows ({@link Capability#TRANSACTION_STATE}) is asked; otherwise
     * (sqlite-jdbc does not expose {@code sqlite3_get_autocommit}) this probes: {@code BEGIN} fails inside a
     * transaction and, outside one, opens a deferred transaction that touches no file and is rolled back at once.
     *
     * @return {@code true} inside a transaction
     */
    public boolean inTransaction() {
        if (capabilities.has(Capability.TRANSACTION_STATE)) {
            return connection.inTransaction();
        }
        if (worker.inCallback()) {
            // The probe's ROLLBACK would abort the statement whose callback made this call.
            throw new SqliteException("cannot tell whether a transaction is open from inside a callback while a"
                    + " statement of this connection runs; ask before or after the statement",
                    SqliteException.SQLITE_MISUSE, null, null);
        }
        try {
            connection.exec("BEGIN");
        } catch (RuntimeException e) {
            return true;
        }
        exec("ROLLBACK");
        return false;
    }

    /** Returns a statement to the cache after a reset, or closes it when it failed or cannot be reset. */
    private void giveBack(String sql, EngineStatement st, boolean reusable) {
        if (st == null) {
            return;
        }
        if (reusable && !st.isClosed()) {
            try {
                st.reset();
                statements.release(sql, st);
                return;
            } catch (RuntimeException e) {
                // A statement that cannot be reset is not worth keeping.
            }
        }
        StatementCache.closeQuietly(st);
    }

    /**
     * Maps a failure, and when SQLite says a table is locked by this very connection, names the open cursors whose
     * statements hold the lock: {@code DROP TABLE} fails with SQLITE_LOCKED while any statement is active.
     */
    private SqliteException failure(Throwable t, String sql) {
        SqliteException e = Errors.map(t, sql);
        if (cursors.isEmpty()) {
            return e;
        }
        boolean locked = e.resultCode() == SqliteException.SQLITE_LOCKED
                || (e.resultCode() == SqliteException.SQLITE_BUSY
                        && String.valueOf(e.getMessage()).contains("statements in progress"));
        return locked ? Errors.withDetail(e, openCursors()) : e;
    }

    private String openCursors() {
        StringBuilder sb = new StringBuilder(" (this connection has ").append(cursors.size())
                .append(cursors.size() == 1 ? " open cursor, whose statement keeps" : " open cursors, whose statements"
                        + " keep").append(" its tables locked: ");
        int shown = 0;
        for (OpenCursor c : cursors) {
            if (shown++ == 5) {
                sb.append("; and ").append(cursors.size() - 5).append(" more");
                break;
            }
            sb.append(shown == 1 ? "" : "; ").append(c.describe());
        }
        return sb.append(". Close cursors and streams you stop reading early (try-with-resources)")
                .append(CallSite.hint()).append(")").toString();
    }

    private static void requireColumns(EngineStatement st, String sql) {
        if (st.columnCount() == 0) {
            throw new SqliteException("the statement returns no rows (it has no result columns): run it with"
                    + " execute, not as a query", SqliteException.SQLITE_MISUSE, sql, null);
        }
    }

    private void bind(EngineStatement st, Object[] args, String sql) {
        int expected = st.parameterCount();
        args = byName(args, expected, sql, "");
        checkCount(expected, args.length, sql, "");
        for (int i = 0; i < args.length; i++) {
            st.bind(i + 1, storageValue(args[i], i + 1, sql, -1));
        }
    }

    /** A lone Map, record or bean argument for a statement with named parameters becomes positional values. */
    private Object[] byName(Object[] args, int expected, String sql, String where) {
        if (args.length != 1 || expected < 1 || !NamedArguments.isSource(args[0], codecs)) {
            return args;
        }
        SqlParameters p = parameters.get(sql);
        if (p == null) {
            p = SqlParameters.parse(sql);
            parameters.put(sql, p);
        }
        return p.hasNames() ? NamedArguments.positional(p, args[0], sql, where) : args;
    }

    private static void checkCount(int expected, int given, String sql, String where) {
        if (expected != given) {
            throw new SqliteException("wrong number of parameters" + where + ": the statement takes " + expected
                    + ", " + given + " given", SqliteException.SQLITE_RANGE, sql, null);
        }
    }

    private Object[] storageValues(Object[] args, String sql, int set) {
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = storageValue(args[i], i + 1, sql, set);
        }
        return out;
    }

    /** A parameter as the storage value the engine binds: the common classes directly, the rest through codecs. */
    private Object storageValue(Object v, int p, String sql, int set) {
        if (v == null || v instanceof Long || v instanceof String || v instanceof byte[]) {
            return v;
        }
        if (v instanceof Integer) {
            return ((Integer) v).longValue();
        }
        if (v instanceof Double) {
            double d = (Double) v;
            if (d != d) {
                throw bindFailure(v, p, sql, set, new IllegalArgumentException(
                        "NaN cannot be stored: SQLite would store it as NULL; bind null explicitly if that is meant"));
            }
            return v;
        }
        Object e;
        try {
            e = codecs.encode(v);
        } catch (IllegalArgumentException | ArithmeticException failure) {
            throw bindFailure(v, p, sql, set, failure);
        }
        if (e instanceof Integer) {
            return ((Integer) e).longValue();
        }
        return e;
    }

    private static SqliteException bindFailure(Object v, int p, String sql, int set, RuntimeException cause) {
        String name = null;
        if (sql != null) {
            SqlParameters params = SqlParameters.parse(sql);
            if (p <= params.names().size()) {
                name = params.names().get(p - 1);
            }
        }
        return new SqliteException("cannot bind parameter " + p + (name == null ? "" : " (" + name + ")")
                + (set >= 0 ? " of parameter set " + set : "") + ", a " + v.getClass().getName() + ": "
                + cause.getMessage(), SqliteException.SQLITE_MISMATCH, sql, cause);
    }

    /**
     * The running statement's row metadata: the one kept with the statement when its columns (names and declared
     * types, read by the engine on every execution) still match, else a new one, kept for the next execution. A
     * re-prepare after a schema change that alters the columns is seen here.
     */
    private RowMetadata metadata(EngineStatement st) {
        int n = st.columnCount();
        if (st.attachment() instanceof Shape shape && shape.matches(st, n)) {
            return shape.metadata;
        }
        String[] names = new String[n];
        String[] types = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = st.columnName(i);
            types[i] = st.declaredType(i);
        }
        RowMetadata metadata = new RowMetadata(names, types, codecs);
        st.attach(new Shape(names, types, metadata));
        return metadata;
    }

    /** The columns a {@link RowMetadata} was built from, as the engine reported them. */
    private static final class Shape {
        private final String[] names;
        private final String[] types;
        private final RowMetadata metadata;

        Shape(String[] names, String[] types, RowMetadata metadata) {
            this.names = names;
            this.types = types;
            this.metadata = metadata;
        }

        boolean matches(EngineStatement st, int n) {
            if (n != names.length) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (!names[i].equals(st.columnName(i)) || !Objects.equals(types[i], st.declaredType(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Closes every cursor and statement, then the connection, which always releases its native handle. */
    void close() {
        for (OpenCursor c : new ArrayList<>(cursors)) {
            release(c, false);
        }
        statements.clear();
        connection.close();
    }
}
