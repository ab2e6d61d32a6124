package io.sqliteasync.internal.worker;

import io.sqliteasync.BatchMode;
import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.ExecuteResult;
import io.sqliteasync.Row;
import io.sqliteasync.RowMetadata;
import io.sqliteasync.SqliteException;
import io.sqliteasync.codec.CodecRegistry;
import io.sqliteasync.internal.sql.SqlParameters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.sqliteasync.SqlAggregate;
import io.sqliteasync.SqlBusyHandler;
import io.sqliteasync.SqlCollation;
import io.sqliteasync.SqlScalarFunction;
import io.sqliteasync.SqlTransactionHook;
import io.sqliteasync.SqlUpdateHook;
import io.sqliteasync.SqlWindowFunction;
import java.util.function.Supplier;
import org.sqlite.BusyHandler;
import org.sqlite.Collation;
import org.sqlite.Function;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteUpdateListener;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * One open SQLite connection and everything tied to it: the statement cache and the open cursors. Every method
 * runs on the connection's worker thread and nowhere else; nothing here is thread-safe, by design.
 */
public final class Session {
    // sqlite3_column_type values.
    private static final int SQLITE_INTEGER = 1;
    private static final int SQLITE_FLOAT = 2;
    private static final int SQLITE_TEXT = 3;
    private static final int SQLITE_BLOB = 4;

    private final SQLiteConnection connection;
    private final DB db;
    private final StatementCache statements;
    private final Set<CursorState> cursors = Collections.newSetFromMap(new IdentityHashMap<>());
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
    private SQLiteUpdateListener updateListener;
    private SQLiteCommitListener commitListener;
    private SqlTransactionHook commitHook;
    private SqlTransactionHook rollbackHook;
    /** Commits and rollbacks seen since {@link #transactionEnds()} was first called; worker thread only. */
    private long transactionEnds;
    private boolean countingTransactionEnds;

    private Session(SQLiteConnection connection, ConnectionOptions options, ConnectionWorker worker) {
        this.connection = connection;
        this.worker = worker;
        this.db = connection.getDatabase();
        this.statements = new StatementCache(connection, options.statementCacheSize());
        this.prefetch = options.prefetch();
        this.codecs = options.codecs();
    }

    static Session open(ConnectionOptions options, ConnectionWorker worker) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(options.readOnly());
        if (!options.create()) {
            config.resetOpenMode(SQLiteOpenMode.CREATE);
        }
        config.setOpenMode(SQLiteOpenMode.OPEN_URI);
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        SQLiteConnection c;
        try {
            c = (SQLiteConnection) config.createConnection("jdbc:sqlite:" + options.path());
        } catch (SQLException e) {
            throw openFailure(options, e);
        }
        try {
            try (Statement s = c.createStatement()) {
                for (Map.Entry<String, String> p : options.pragmas().entrySet()) {
                    if (p.getValue().indexOf(';') >= 0) {
                        throw new SqliteException("pragma value for " + p.getKey() + " contains ';': " + p.getValue());
                    }
                    s.execute("PRAGMA " + p.getKey() + " = " + p.getValue());
                }
                // SQLite opens files lazily; reading the header now turns "file is not a database" into an open
                // failure instead of a surprise on the first query.
                s.executeQuery("PRAGMA schema_version").close();
            }
            // Checks for cancellation and deadlines every few thousand VM steps; see
            // https://www.sqlite.org/c3ref/progress_handler.html
            ProgressHandler.setHandler(c, options.progressSteps(), new ProgressHandler() {
                @Override
                protected int progress() {
                    return worker.shouldInterrupt() ? 1 : 0;
                }
            });
        } catch (SQLException | RuntimeException e) {
            StatementCache.closeQuietly(c);
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
     * The raw JDBC connection, for {@code run} blocks.
     *
     * @return the connection; valid only on the worker thread
     */
    public Connection connection() {
        return connection;
    }

    /**
     * The SQLite library version.
     *
     * @return for example {@code 3.53.2}
     */
    public String libraryVersion() {
        try {
            return connection.libversion();
        } catch (SQLException e) {
            throw Errors.map(e, null);
        }
    }

    /**
     * Runs one statement.
     *
     * @param sql the statement
     * @param args its parameters
     * @return rows changed and the last insert rowid
     */
    public ExecuteResult execute(String sql, Object[] args) {
        PreparedStatement ps = null;
        boolean reusable = false;
        try {
            ps = statements.acquire(sql);
            bind(ps, args, sql);
            long before = db.total_changes();
            if (ps.execute()) {
                ps.getResultSet().close();
            }
            long changes = db.total_changes() == before ? 0 : db.changes();
            reusable = true;
            return new ExecuteResult(changes, lastInsertRowid());
        } catch (SQLException | RuntimeException e) {
            throw Errors.map(e, sql);
        } finally {
            giveBack(sql, ps, reusable);
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
        PreparedStatement ps = null;
        boolean reusable = false;
        boolean savepoint = false;
        try {
            ps = statements.acquire(sql);
            int expected = ps.getParameterMetaData().getParameterCount();
            sets = new ArrayList<>(sets);
            for (int i = 0; i < sets.size(); i++) {
                sets.set(i, byName(sets.get(i), expected, sql, " in parameter set " + i));
                checkCount(expected, sets.get(i).length, sql, " in parameter set " + i);
            }
            if (columnCount(ps) > 0) {
                throw new SqliteException("executeMany runs statements that return no rows, and this one returns"
                        + " columns (a query, or RETURNING): run it with execute or fetchAll per parameter set",
                        SqliteException.SQLITE_MISUSE, sql, null);
            }
            if (atomic) {
                db._exec("SAVEPOINT sqlite_async_many");
                savepoint = true;
            }
            long changes = 0;
            if (!sets.isEmpty()) {
                // One native loop binds and steps every set: several times faster than a JDBC execute per set.
                for (int i = 0; i < sets.size(); i++) {
                    bindValues(ps, sets.get(i), sql, i);
                    ps.addBatch();
                }
                long before = db.total_changes();
                int[] counts;
                try {
                    counts = ps.executeBatch();
                } finally {
                    ps.clearBatch();
                }
                // changes() keeps the count of the last statement that changed rows: sqlite-jdbc reports it for
                // every set, so a batch that changed nothing (DDL, for one) must count nothing.
                if (db.total_changes() != before) {
                    for (int c : counts) {
                        changes += Math.max(c, 0);
                    }
                }
            }
            if (savepoint) {
                // A RELEASE that fails (a busy commit) leaves the savepoint open: the catch below rolls it back.
                exec("RELEASE sqlite_async_many");
                savepoint = false;
            }
            reusable = true;
            return new ExecuteResult(changes, lastInsertRowid());
        } catch (SQLException | RuntimeException e) {
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
            throw Errors.map(e, sql);
        } finally {
            giveBack(sql, ps, reusable);
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
            int rc = db._exec(sql);
            if (rc != 0) {
                db.throwex(rc);
            }
        } catch (SQLException e) {
            throw Errors.map(e, sql);
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
        PreparedStatement ps = null;
        boolean reusable = false;
        try {
            ps = statements.acquire(sql);
            bind(ps, args, sql);
            List<Row> rows;
            try (ResultSet rs = ps.executeQuery()) {
                RowMetadata metadata = metadata(ps);
                rows = new ArrayList<>(Math.min(max, 16));
                while (rows.size() < max && rs.next()) {
                    rows.add(readRow(ps, metadata));
                }
            }
            reusable = true;
            return rows;
        } catch (SQLException | RuntimeException e) {
            throw Errors.map(e, sql);
        } finally {
            giveBack(sql, ps, reusable);
        }
    }

    /**
     * Starts a cursor's query: prepares, binds and runs it to its first row.
     *
     * @param cursor the cursor
     */
    public void openCursor(CursorState cursor) {
        if (cursor.closeRequested || cursor.closed) {
            cursor.closed = true;
            return;
        }
        try {
            cursor.statement = statements.acquire(cursor.sql);
            bind(cursor.statement, cursor.args, cursor.sql);
            cursor.resultSet = cursor.statement.executeQuery();
            cursor.metadata = metadata(cursor.statement);
            cursors.add(cursor);
        } catch (SQLException | RuntimeException e) {
            PreparedStatement ps = cursor.statement;
            cursor.statement = null;
            cursor.closed = true;
            giveBack(cursor.sql, ps, false);
            throw Errors.map(e, cursor.sql);
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
            throw new io.sqliteasync.SqliteClosedException("the cursor is closed", null);
        }
        if (cursor.closeRequested) {
            closeCursor(cursor);
            return new Batch(List.of(), true);
        }
        try {
            List<Row> rows = new ArrayList<>(Math.min(n, prefetch));
            ResultSet rs = cursor.resultSet;
            boolean more = true;
            while (rows.size() < n) {
                more = rs.next();
                if (!more) {
                    break;
                }
                rows.add(readRow(cursor.statement, cursor.metadata));
            }
            if (!more) {
                cursor.exhausted = true;
                release(cursor, true);
            }
            return new Batch(rows, !more);
        } catch (SQLException | RuntimeException e) {
            release(cursor, false);
            throw Errors.map(e, cursor.sql);
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
        cursors.remove(cursor);
        boolean ok = reusable;
        if (cursor.resultSet != null) {
            try {
                cursor.resultSet.close();
            } catch (SQLException e) {
                ok = false;
            }
            cursor.resultSet = null;
        }
        PreparedStatement ps = cursor.statement;
        cursor.statement = null;
        giveBack(cursor.sql, ps, ok);
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
        register(() -> Function.create(connection, name, Callbacks.scalar(worker, name, fn), nArgs,
                deterministic ? Function.FLAG_DETERMINISTIC : 0));
    }

    /**
     * Registers an aggregate function.
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any
     * @param factory makes the state of one group
     */
    public void createAggregate(String name, int nArgs, Supplier<? extends SqlAggregate> factory) {
        register(() -> Function.create(connection, name, Callbacks.aggregate(worker, name, factory), nArgs, 0));
    }

    /**
     * Registers a window function.
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any
     * @param factory makes the state of one window
     */
    public void createWindow(String name, int nArgs, Supplier<? extends SqlWindowFunction> factory) {
        register(() -> Function.create(connection, name, Callbacks.window(worker, name, factory), nArgs, 0));
    }

    /**
     * Registers a collation.
     *
     * @param name the collation name
     * @param collation the comparison
     */
    public void createCollation(String name, SqlCollation collation) {
        register(() -> Collation.create(connection, name, Callbacks.collation(worker, name, collation)));
    }

    /**
     * Sets or clears the update hook.
     *
     * @param hook the hook, or {@code null} to clear it
     */
    public void setUpdateHook(SqlUpdateHook hook) {
        if (updateListener != null) {
            connection.removeUpdateListener(updateListener);
            updateListener = null;
        }
        if (hook != null) {
            updateListener = Callbacks.update(worker, hook);
            connection.addUpdateListener(updateListener);
        }
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
            countingTransactionEnds = true;
            connection.addCommitListener(new SQLiteCommitListener() {
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
        resetTransactionListener();
    }

    /**
     * Sets or clears the rollback hook.
     *
     * @param hook the hook, or {@code null}
     */
    public void setRollbackHook(SqlTransactionHook hook) {
        rollbackHook = hook;
        resetTransactionListener();
    }

    private void resetTransactionListener() {
        if (commitListener != null) {
            connection.removeCommitListener(commitListener);
            commitListener = null;
        }
        if (commitHook != null || rollbackHook != null) {
            commitListener = Callbacks.transaction(worker, commitHook, rollbackHook);
            connection.addCommitListener(commitListener);
        }
    }

    /**
     * Sets the busy handler, or restores the busy timeout.
     *
     * @param handler the handler, or {@code null} for the configured busy timeout
     * @param busyTimeoutMillis the timeout restored when {@code handler} is {@code null}
     */
    public void setBusyHandler(SqlBusyHandler handler, int busyTimeoutMillis) {
        register(() -> {
            if (handler == null) {
                BusyHandler.clearHandler(connection);
                connection.setBusyTimeout(busyTimeoutMillis);
            } else {
                BusyHandler.setHandler(connection, Callbacks.busy(worker, handler));
            }
        });
    }

    private void register(SqlAction action) {
        try {
            action.run();
        } catch (SQLException e) {
            throw Errors.map(e, null);
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
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
     * Whether a transaction is open. sqlite-jdbc does not expose {@code sqlite3_get_autocommit}, so this probes:
     * {@code BEGIN} fails inside a transaction and, outside one, opens a deferred transaction that touches no file
     * and is rolled back at once.
     *
     * @return {@code true} inside a transaction
     */
    public boolean inTransaction() {
        if (worker.inCallback()) {
            // The probe's ROLLBACK would abort the statement whose callback made this call.
            throw new SqliteException("cannot tell whether a transaction is open from inside a callback while a"
                    + " statement of this connection runs; ask before or after the statement",
                    SqliteException.SQLITE_MISUSE, null, null);
        }
        try {
            if (db._exec("BEGIN") != 0) {
                return true;
            }
        } catch (SQLException e) {
            return true;
        }
        exec("ROLLBACK");
        return false;
    }

    private static final String LAST_INSERT_ROWID = "SELECT last_insert_rowid()";

    private long lastInsertRowid() throws SQLException {
        PreparedStatement ps = statements.acquire(LAST_INSERT_ROWID);
        boolean reusable = false;
        try {
            long id;
            try (ResultSet rs = ps.executeQuery()) {
                id = rs.next() ? rs.getLong(1) : 0L;
            }
            reusable = true;
            return id;
        } finally {
            giveBack(LAST_INSERT_ROWID, ps, reusable);
        }
    }

    private void giveBack(String sql, PreparedStatement ps, boolean reusable) {
        if (ps == null) {
            return;
        }
        if (reusable) {
            statements.release(sql, ps);
        } else {
            StatementCache.closeQuietly(ps);
        }
    }

    private void bind(PreparedStatement ps, Object[] args, String sql) throws SQLException {
        int expected = ps.getParameterMetaData().getParameterCount();
        args = byName(args, expected, sql, "");
        checkCount(expected, args.length, sql, "");
        bindValues(ps, args, sql, -1);
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

    private void bindValues(PreparedStatement ps, Object[] args, String sql, int set) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object v = args[i];
            int p = i + 1;
            // The common classes bind directly; everything else goes through the codecs.
            if (v == null) {
                ps.setNull(p, Types.NULL);
            } else if (v instanceof Long || v instanceof Integer) {
                ps.setLong(p, ((Number) v).longValue());
            } else if (v instanceof String) {
                ps.setString(p, (String) v);
            } else if (v instanceof Double) {
                double d = (Double) v;
                if (d != d) {
                    throw bindFailure(v, p, sql, set, new IllegalArgumentException(
                            "NaN cannot be stored: SQLite would store it as NULL; bind null explicitly if that is meant"));
                }
                ps.setDouble(p, d);
            } else if (v instanceof byte[]) {
                ps.setBytes(p, (byte[]) v);
            } else {
                Object e;
                try {
                    e = codecs.encode(v);
                } catch (IllegalArgumentException | ArithmeticException failure) {
                    throw bindFailure(v, p, sql, set, failure);
                }
                if (e == null) {
                    ps.setNull(p, Types.NULL);
                } else if (e instanceof Long) {
                    ps.setLong(p, (Long) e);
                } else if (e instanceof String) {
                    ps.setString(p, (String) e);
                } else if (e instanceof Double) {
                    ps.setDouble(p, (Double) e);
                } else {
                    ps.setBytes(p, (byte[]) e);
                }
            }
        }
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

    private static int columnCount(PreparedStatement ps) throws SQLException {
        return ((CoreStatement) ps).pointer.safeRunInt((d, ptr) -> d.column_count(ptr));
    }

    private RowMetadata metadata(PreparedStatement ps) throws SQLException {
        return ((CoreStatement) ps).pointer.safeRun((d, ptr) -> {
            int n = d.column_count(ptr);
            String[] names = new String[n];
            String[] types = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = d.column_name(ptr, i);
                types[i] = d.column_decltype(ptr, i);
            }
            return new RowMetadata(names, types, codecs);
        });
    }

    /** Reads the current row by storage class straight from SQLite, so values keep their exact types. */
    private Row readRow(PreparedStatement ps, RowMetadata metadata) throws SQLException {
        Object[] values = ((CoreStatement) ps).pointer.safeRun((d, ptr) -> {
            int n = metadata.columnCount();
            Object[] v = new Object[n];
            for (int i = 0; i < n; i++) {
                switch (d.column_type(ptr, i)) {
                    case SQLITE_INTEGER:
                        v[i] = d.column_long(ptr, i);
                        break;
                    case SQLITE_FLOAT:
                        v[i] = d.column_double(ptr, i);
                        break;
                    case SQLITE_TEXT:
                        v[i] = d.column_text(ptr, i);
                        break;
                    case SQLITE_BLOB:
                        byte[] b = d.column_blob(ptr, i);
                        v[i] = b == null ? new byte[0] : b;
                        break;
                    default:
                        v[i] = null;
                }
            }
            return v;
        });
        return new Row(metadata, values);
    }

    /** Closes every cursor and statement, then the connection. Errors are collected, not thrown midway. */
    void close() throws SQLException {
        for (CursorState c : new ArrayList<>(cursors)) {
            release(c, false);
        }
        statements.clear();
        // sqlite-jdbc finalizes every statement it still tracks before closing the handle, and gives up at the first
        // that fails, leaving the handle, its locks and its file descriptors open. A failed finalize drops that
        // statement from its list, so each further attempt gets past at least one more.
        SQLException first = null;
        for (int attempt = 0; attempt < 10_000 && !connection.isClosed(); attempt++) {
            try {
                connection.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else if (first != e) {
                    first.addSuppressed(e);
                }
            }
        }
        if (!connection.isClosed()) {
            throw new SQLException("the SQLite connection could not be closed: its native handle stays open", first);
        }
        if (first != null) {
            throw new SQLException("the SQLite connection is closed, after statements failed to finalize", first);
        }
    }
}
