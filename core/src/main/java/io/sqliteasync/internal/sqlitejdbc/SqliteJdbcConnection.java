package io.sqliteasync.internal.sqlitejdbc;

import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.Capability;
import io.sqliteasync.internal.engine.Engine;
import io.sqliteasync.internal.engine.EngineConnection;
import io.sqliteasync.internal.engine.EngineStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.sqlite.Collation;
import org.sqlite.Function;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteUpdateListener;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/** An sqlite-jdbc connection behind the engine seam. Worker thread only, except {@link #interrupt()}. */
final class SqliteJdbcConnection implements EngineConnection {
    private static final String LAST_INSERT_ROWID = "SELECT last_insert_rowid()";
    private static final int NOTADB = 26;

    private final SqliteJdbcEngine engine;
    private final SQLiteConnection connection;
    private final DB db;
    private final Map<TransactionListener, SQLiteCommitListener> transactionListeners = new IdentityHashMap<>();
    private SQLiteUpdateListener updateListener;
    /** sqlite-jdbc has no sqlite3_last_insert_rowid; one prepared statement answers it. */
    private PreparedStatement lastInsertRowid;

    SqliteJdbcConnection(SqliteJdbcEngine engine, SQLiteConnection connection) {
        this.engine = engine;
        this.connection = connection;
        this.db = connection.getDatabase();
        // sqlite-jdbc follows every statement that finishes in JDBC auto-commit mode with a "begin;" and a "commit;"
        // of its own (DB.ensureAutoCommit: two more statements and four native calls per write), a workaround for
        // SQLite versions that kept an auto-commit write uncommitted while another statement of the connection was
        // still reading. SQLite commits such a write when it finishes, whatever reads are active (only another
        // active write defers it); WritesWhileCursorOpenIT shows it on a file in both journal modes. The library
        // runs its own BEGIN/COMMIT and never uses JDBC's commit()/rollback(), so marking the JDBC connection as
        // not auto-committing only turns that workaround off; it issues no BEGIN.
        connection.getConnectionConfig().setAutoCommit(false);
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public EngineStatement prepare(String sql) {
        try {
            return new SqliteJdbcStatement(this, connection.prepareStatement(sql), sql);
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    @Override
    public void exec(String script) {
        try {
            int rc = db._exec(script);
            if (rc != 0) {
                db.throwex(rc);
            }
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, script);
        }
    }

    @Override
    public long changes() {
        try {
            return db.changes();
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
    }

    @Override
    public long totalChanges() {
        try {
            return db.total_changes();
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
    }

    @Override
    public long lastInsertRowid() {
        try {
            if (lastInsertRowid == null || lastInsertRowid.isClosed()) {
                lastInsertRowid = connection.prepareStatement(LAST_INSERT_ROWID);
            }
            // Through the core API, as statements run (SqliteJdbcStatement): no JDBC result set per call.
            CoreStatement core = (CoreStatement) lastInsertRowid;
            if (!db.execute(core, null)) {
                return 0L;
            }
            return core.pointer.safeRunLong((d, p) -> {
                long id = d.column_long(p, 0);
                d.reset(p);
                return id;
            });
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, LAST_INSERT_ROWID);
        }
    }

    @Override
    public boolean inTransaction() {
        // sqlite-jdbc does not expose sqlite3_get_autocommit: require() throws, naming the missing capability.
        engine.capabilities().require(Capability.TRANSACTION_STATE, "inTransaction");
        throw new AssertionError("the sqlite-jdbc engine has no TRANSACTION_STATE");
    }

    @Override
    public void interrupt() {
        try {
            db.interrupt();
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
    }

    @Override
    public void setProgressHandler(int steps, ProgressHandler handler) {
        try {
            if (handler == null) {
                org.sqlite.ProgressHandler.clearHandler(connection);
            } else {
                org.sqlite.ProgressHandler.setHandler(connection, steps, new org.sqlite.ProgressHandler() {
                    @Override
                    protected int progress() {
                        return handler.interrupt() ? 1 : 0;
                    }
                });
            }
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
    }

    @Override
    public void setBusyTimeout(int millis) {
        try {
            org.sqlite.BusyHandler.clearHandler(connection);
            connection.setBusyTimeout(millis);
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
    }

    @Override
    public void setBusyHandler(BusyHandler handler) {
        try {
            org.sqlite.BusyHandler.setHandler(connection, SqliteJdbcCallbacks.busy(handler));
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
    }

    @Override
    public void createFunction(String name, int nArgs, boolean deterministic, ScalarFunction function) {
        try {
            Function.create(connection, name, SqliteJdbcCallbacks.scalar(name, function), nArgs,
                    deterministic ? Function.FLAG_DETERMINISTIC : 0);
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
    }

    @Override
    public void createAggregate(String name, int nArgs, Supplier<? extends AggregateFunction> factory) {
        // Registered as a window function, as sqlite-jdbc's own aggregates can be: used with OVER (...) it fails in
        // inverse() or value(), with the message the worker's adapter gives.
        createWindow(name, nArgs, factory);
    }

    @Override
    public void createWindow(String name, int nArgs, Supplier<? extends AggregateFunction> factory) {
        try {
            Function.create(connection, name, SqliteJdbcCallbacks.window(name, factory), nArgs, 0);
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
    }

    @Override
    public void createCollation(String name, Comparator<String> collation) {
        try {
            Collation.create(connection, name, SqliteJdbcCallbacks.collation(collation));
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
    }

    @Override
    public void setUpdateListener(UpdateListener listener) {
        if (updateListener != null) {
            connection.removeUpdateListener(updateListener);
            updateListener = null;
        }
        if (listener != null) {
            updateListener = SqliteJdbcCallbacks.update(listener);
            connection.addUpdateListener(updateListener);
        }
    }

    @Override
    public void addTransactionListener(TransactionListener listener) {
        SQLiteCommitListener bridge = SqliteJdbcCallbacks.transaction(listener);
        SQLiteCommitListener previous = transactionListeners.put(listener, bridge);
        if (previous != null) {
            connection.removeCommitListener(previous);
        }
        connection.addCommitListener(bridge);
    }

    @Override
    public void removeTransactionListener(TransactionListener listener) {
        SQLiteCommitListener bridge = transactionListeners.remove(listener);
        if (bridge != null) {
            connection.removeCommitListener(bridge);
        }
    }

    @Override
    public boolean backup(String schema, String destination, int pagesPerStep, StepObserver observer) {
        Stepper stepper = new Stepper(observer, true);
        int rc;
        try {
            // No retries on SQLITE_BUSY (nTimeouts 0): the source's own busy handler already waited for its locks,
            // and a busy step is how a stop request ends the loop (see Stepper).
            rc = db.backup(schema, destination, stepper, 0, 0, pagesPerStep);
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        } finally {
            stepper.unlockSource();
        }
        stepper.rethrow();
        if (stepper.stopRequested && !stepper.done) {
            return false;
        }
        if (rc != 0 || !stepper.done) {
            throw new SqliteException("the backup of schema '" + schema + "' to '" + destination + "' failed: "
                    + describe(rc), rc == 0 ? SqliteException.SQLITE_ERROR : rc, null, null);
        }
        return true;
    }

    @Override
    public void restore(String schema, String source, int pagesPerStep, StepObserver observer) {
        Stepper stepper = new Stepper(observer, false);
        int rc;
        try {
            // The source is a connection of its own: a busy source (a writer committing to that file) is retried
            // every 100 ms, 50 times.
            rc = db.restore(schema, source, stepper, 100, 50, pagesPerStep);
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
        stepper.rethrow();
        // sqlite-jdbc returns the source connection's error code, which stays 0 when a step fails on the
        // destination or on a file that is not a database; a step that finished reports 0 pages remaining.
        if (rc != 0 || !stepper.done) {
            throw new SqliteException("the restore of schema '" + schema + "' from '" + source + "' failed: "
                    + (rc == 0 ? "the file is not a database, or could not be copied; the schema is unchanged"
                            : describe(rc)), rc == 0 ? NOTADB : rc, null, null);
        }
    }

    private static String describe(int rc) {
        switch (rc & 0xff) {
            case SqliteException.SQLITE_CANTOPEN:
                return "SQLITE_CANTOPEN: the file cannot be opened (missing directory, or no permission)";
            case SqliteException.SQLITE_READONLY:
                return "SQLITE_READONLY: the file or its directory is read-only";
            case SqliteException.SQLITE_BUSY:
            case SqliteException.SQLITE_LOCKED:
                return "SQLITE_BUSY: the source stayed locked";
            case NOTADB:
                return "SQLITE_NOTADB: the file is not a database";
            case 0:
                return "the copy did not finish";
            default:
                return "SQLite result code " + rc;
        }
    }

    @Override
    public byte[] serialize(String schema) {
        try {
            byte[] data = db.serialize(schema);
            return data == null ? new byte[0] : data;
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
    }

    @Override
    public void deserialize(String schema, byte[] data) {
        try {
            db.deserialize(schema, data);
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
    }

    /**
     * sqlite-jdbc runs the whole step loop inside one native call and calls this between steps. An exception must
     * not escape into that loop (it would stay pending while native code goes on calling Java), so it is kept and
     * rethrown after the call. sqlite-jdbc gives the observer no way to stop the loop; a write transaction on the
     * source does: the next {@code sqlite3_backup_step} then returns SQLITE_BUSY at once and, with no retries
     * allowed, the loop ends and the destination's uncommitted copy is dropped. See
     * https://www.sqlite.org/c3ref/backup_finish.html
     */
    private final class Stepper implements DB.ProgressObserver {
        private final StepObserver observer;
        private final boolean canStop;
        private Throwable failure;
        boolean stopRequested;
        boolean done;
        private boolean locked;
        private boolean liftedQueryOnly;

        Stepper(StepObserver observer, boolean canStop) {
            this.observer = observer;
            this.canStop = canStop;
        }

        @Override
        public void progress(int remaining, int pageCount) {
            if (remaining == 0) {
                done = true;
            }
            if (locked) {
                return;
            }
            boolean stop;
            try {
                stop = observer.step(remaining, pageCount);
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
                stop = true;
            }
            if (stop && canStop && remaining > 0) {
                stopRequested = true;
                lockSource();
            }
        }

        private void lockSource() {
            try {
                try (PreparedStatement q = connection.prepareStatement("PRAGMA query_only");
                        ResultSet rs = q.executeQuery()) {
                    liftedQueryOnly = rs.next() && rs.getInt(1) != 0;
                }
                if (liftedQueryOnly) {
                    db._exec("PRAGMA query_only=0");
                }
                locked = db._exec("BEGIN IMMEDIATE") == 0;
            } catch (SQLException e) {
                // Read-only file, or the write lock stayed busy: asked again after the next step.
                locked = false;
            }
            if (!locked) {
                restoreQueryOnly();
            }
        }

        void unlockSource() {
            if (locked) {
                locked = false;
                try {
                    db._exec("ROLLBACK");
                } catch (SQLException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
            restoreQueryOnly();
        }

        private void restoreQueryOnly() {
            if (liftedQueryOnly) {
                liftedQueryOnly = false;
                try {
                    db._exec("PRAGMA query_only=1");
                } catch (SQLException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        }

        void rethrow() {
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            if (failure != null) {
                throw failure instanceof SqliteException ? (SqliteException) failure
                        : SqliteJdbcErrors.map(failure, null);
            }
        }
    }

    @Override
    public String libraryVersion() {
        try {
            return connection.libversion();
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(connection)) {
            return type.cast(connection);
        }
        throw new SqliteException("the sqlite-jdbc engine has no " + type.getName() + " to offer",
                SqliteException.SQLITE_MISUSE, null, null);
    }

    DB db() {
        return db;
    }

    @Override
    public boolean isClosed() {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    @Override
    public void close() {
        if (lastInsertRowid != null) {
            try {
                lastInsertRowid.close();
            } catch (SQLException ignored) {
                // sqlite-jdbc's close below finalizes what is left.
            }
        }
        // sqlite-jdbc finalizes every statement it still tracks before closing the handle, and gives up at the first
        // that fails, leaving the handle, its locks and its file descriptors open. A failed finalize drops that
        // statement from its list, so each further attempt gets past at least one more.
        SQLException first = null;
        for (int attempt = 0; attempt < 10_000 && !isClosed(); attempt++) {
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
        if (!isClosed()) {
            throw new SqliteException("the SQLite connection could not be closed: its native handle stays open", -1,
                    null, first);
        }
        if (first != null) {
            throw new SqliteException("the SQLite connection is closed, after statements failed to finalize", -1,
                    null, first);
        }
    }
}
