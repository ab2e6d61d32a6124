package io.sqliteasync.internal.sqlitejdbc;

import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.Capability;
import io.sqliteasync.internal.engine.Engine;
import io.sqliteasync.internal.engine.EngineConnection;
import io.sqliteasync.internal.engine.EngineStatement;
import java.sql.PreparedStatement;
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
