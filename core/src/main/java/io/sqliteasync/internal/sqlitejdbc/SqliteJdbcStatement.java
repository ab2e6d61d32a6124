package io.sqliteasync.internal.sqlitejdbc;

import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.EngineStatement;
import io.sqliteasync.internal.engine.RowSink;
import io.sqliteasync.internal.engine.StatementResult;
import io.sqliteasync.internal.sql.SqlParameters;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;
import org.sqlite.core.SafeStmtPtr;

/**
 * A statement of the sqlite-jdbc engine, driven through sqlite-jdbc's low-level core API rather than JDBC. Bound
 * values are kept in an array and handed to the public {@code DB.execute(CoreStatement, Object[])}, which binds them
 * ({@code sqlite3_bind_*}; the individual bind methods are package-private) and takes the first step in one native
 * section; the rows after the first are stepped with {@code DB.step}, and every row is read column by column straight
 * from the native statement ({@code sqlite3_column_type}, then {@code column_int64/double/text/blob}), so values keep
 * their exact storage class and no JDBC result set, conversion or generated-keys query runs. Batches run the same
 * {@code DB.execute} once per parameter set. The {@link PreparedStatement} is only the owner of the native statement.
 * Every native call goes through sqlite-jdbc's {@link SafeStmtPtr}, which throws once the statement is finalized
 * (by {@link #close()}, by sqlite-jdbc after a fatal step error, or by closing the connection) instead of touching
 * freed memory; each entry point also checks first and throws a {@link SqliteException}.
 */
final class SqliteJdbcStatement implements EngineStatement {
    // sqlite3_column_type values.
    private static final int SQLITE_INTEGER = 1;
    private static final int SQLITE_FLOAT = 2;
    private static final int SQLITE_TEXT = 3;
    private static final int SQLITE_BLOB = 4;
    // sqlite3_step results.
    private static final int SQLITE_ROW = 100;
    private static final int SQLITE_DONE = 101;

    private final SqliteJdbcConnection connection;
    private final PreparedStatement ps;
    private final CoreStatement core;
    private final SafeStmtPtr pointer;
    /** The bound values, NULL until bound; SQLite keeps bindings across executions, and so does this array. */
    private final Object[] values;
    private final String sql;
    /**
     * The column count at prepare time, as sqlite-jdbc's own statement keeps it: whether the statement returns rows
     * at all, asked before every query, without a native call. A running execution re-reads its columns.
     */
    private final int preparedColumns;
    private SqlParameters names;
    /** Whether an execution started by start() is running (the statement may need a reset). */
    private boolean running;
    /** Whether the result set stands on a row not yet delivered. */
    private boolean pending;
    /** The running execution's column count. */
    private int columns;
    private String[] columnNames;
    private String[] declaredTypes;
    private boolean closed;
    private Object attachment;

    SqliteJdbcStatement(SqliteJdbcConnection connection, PreparedStatement ps, String sql) {
        this.connection = connection;
        this.ps = ps;
        this.core = (CoreStatement) ps;
        this.pointer = core.pointer;
        this.sql = sql;
        try {
            this.preparedColumns = pointer.safeRunInt((d, p) -> d.column_count(p));
            this.values = new Object[ps.getParameterMetaData().getParameterCount()];
        } catch (SQLException e) {
            close();
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    @Override
    public String sql() {
        return sql;
    }

    @Override
    public int parameterCount() {
        ensureOpen();
        return values.length;
    }

    @Override
    public String parameterName(int index) {
        ensureOpen();
        // sqlite-jdbc does not expose sqlite3_bind_parameter_name; the library's lexer reads the same names.
        if (names == null) {
            names = SqlParameters.parse(sql);
        }
        return index >= 1 && index <= names.names().size() ? names.names().get(index - 1) : null;
    }

    @Override
    public int columnCount() {
        ensureOpen();
        return running ? columns : preparedColumns;
    }

    @Override
    public String columnName(int column) {
        ensureOpen();
        if (running) {
            return columnNames[column];
        }
        try {
            return pointer.safeRun((d, p) -> d.column_name(p, column));
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    @Override
    public String declaredType(int column) {
        ensureOpen();
        if (running) {
            return declaredTypes[column];
        }
        try {
            return pointer.safeRun((d, p) -> d.column_decltype(p, column));
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object value) {
        attachment = value;
    }

    @Override
    public Boolean readOnly() {
        return null;
    }

    @Override
    public void bind(int index, Object v) {
        ensureOpen();
        if (index < 1 || index > values.length) {
            throw new SqliteException("parameter index " + index + " out of range: the statement has "
                    + values.length + " parameter(s)", SqliteException.SQLITE_RANGE, sql, null);
        }
        checkStorageValue(index, v);
        values[index - 1] = v;
    }

    private void checkStorageValue(int index, Object v) {
        if (v != null && !(v instanceof Long || v instanceof String || v instanceof Double || v instanceof byte[])) {
            throw new SqliteException("not a storage value: " + v.getClass().getName() + " for parameter " + index,
                    SqliteException.SQLITE_MISMATCH, sql, null);
        }
    }

    @Override
    public void clearBindings() {
        ensureOpen();
        Arrays.fill(values, null);
    }

    @Override
    public boolean start() {
        ensureOpen();
        reset();
        DB db = connection.db();
        try {
            // Binds every value and takes the first step; on SQLITE_DONE it has already reset the statement.
            boolean row = db.execute(core, values);
            if (preparedColumns == 0) {
                if (row) {
                    pointer.safeRunInt(DB::reset);
                }
                return false;
            }
            // Column names and types are read once per execution, in one pass: SQLite may re-prepare the statement
            // after a schema change, so they are not cached across executions.
            String[][] described = pointer.safeRun((d, p) -> {
                int count = d.column_count(p);
                String[] names = new String[count];
                String[] types = new String[count];
                for (int i = 0; i < count; i++) {
                    names[i] = d.column_name(p, i);
                    types[i] = d.column_decltype(p, i);
                }
                return new String[][] {names, types};
            });
            running = true;
            columnNames = described[0];
            declaredTypes = described[1];
            columns = columnNames.length;
            pending = row;
            if (!row) {
                reset();
            }
            return row;
        } catch (SQLException e) {
            resetQuietly();
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    @Override
    public boolean fetch(RowSink sink, int max) {
        ensureOpen();
        if (!running) {
            return false;
        }
        try {
            // One native section for the whole batch: sqlite-jdbc takes the database's monitor per section, so a
            // section per row cost a lock and a lambda per row. sqlite3_interrupt does not take the monitor.
            if (pointer.safeRun((d, p) -> deliver(d, p, sink, max))) {
                return true;
            }
            reset();
            return false;
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    /**
     * Delivers the pending row, then steps and delivers until {@code max} rows or the end; an error is thrown as the
     * result set would throw it.
     *
     * @return whether the statement may have more rows
     */
    private Boolean deliver(DB d, long p, RowSink sink, int max) throws SQLException {
        int delivered = 0;
        if (pending) {
            pending = false;
            sink.row(readRow(d, p));
            delivered++;
        }
        while (delivered < max) {
            int rc = d.step(p);
            if (rc == SQLITE_ROW) {
                sink.row(readRow(d, p));
                delivered++;
            } else if (rc == SQLITE_DONE) {
                return Boolean.FALSE;
            } else {
                d.throwex(rc);
                return Boolean.FALSE;
            }
        }
        return Boolean.TRUE;
    }

    /** Reads the current row by storage class straight from SQLite, so values keep their exact types. */
    private Object[] readRow(DB d, long p) throws SQLException {
        int n = columns;
        Object[] v = new Object[n];
        for (int i = 0; i < n; i++) {
            switch (d.column_type(p, i)) {
                case SQLITE_INTEGER:
                    v[i] = d.column_long(p, i);
                    break;
                case SQLITE_FLOAT:
                    v[i] = d.column_double(p, i);
                    break;
                case SQLITE_TEXT:
                    // The text's UTF-8 bytes as one byte array (sqlite3_column_blob does not convert text), decoded
                    // here: column_text wraps them in a direct buffer made through JNI and copies them out again.
                    // Malformed UTF-8 decodes to U+FFFD either way; an empty text has a null blob pointer.
                    byte[] t = d.column_blob(p, i);
                    v[i] = t == null ? "" : new String(t, StandardCharsets.UTF_8);
                    break;
                case SQLITE_BLOB:
                    byte[] b = d.column_blob(p, i);
                    v[i] = b == null ? new byte[0] : b;
                    break;
                default:
                    v[i] = null;
            }
        }
        return v;
    }

    @Override
    public StatementResult execute() {
        ensureOpen();
        reset();
        DB db = connection.db();
        try {
            long before = db.total_changes();
            if (db.execute(core, values)) {
                // A statement that returns rows runs only to its first; resetting ends it, as JDBC's execute does.
                pointer.safeRunInt(DB::reset);
            }
            // sqlite3_changes keeps the count of the last statement that changed rows: a statement that changed
            // nothing (DDL, a query) must report nothing.
            long changes = db.total_changes() == before ? 0 : db.changes();
            return new StatementResult(changes, connection.lastInsertRowid());
        } catch (SQLException e) {
            resetQuietly();
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    @Override
    public StatementResult executeBatch(List<Object[]> sets) {
        ensureOpen();
        reset();
        DB db = connection.db();
        if (sets.isEmpty()) {
            return new StatementResult(0, connection.lastInsertRowid());
        }
        Object[] last = null;
        try {
            long before = db.total_changes();
            long changes = 0;
            // Each set is bound and stepped by sqlite-jdbc's core execute (bind_parameter_count, the binds, step and,
            // at SQLITE_DONE, reset): no JDBC batch to copy the values into, and the count of each set read right
            // after its step.
            for (Object[] set : sets) {
                for (int i = 0; i < set.length; i++) {
                    checkStorageValue(i + 1, set[i]);
                }
                last = set;
                if (db.execute(core, set)) {
                    pointer.safeRunInt(DB::reset);
                    throw new SqliteException("executeMany runs statements that return no rows, and this one"
                            + " returned a row", SqliteException.SQLITE_MISUSE, sql, null);
                }
                changes += db.changes();
            }
            // As in execute(): sqlite3_changes keeps the count of the last statement that changed rows, so a batch
            // that changed nothing (DDL) must count nothing.
            if (db.total_changes() == before) {
                changes = 0;
            }
            return new StatementResult(changes, connection.lastInsertRowid());
        } catch (SQLException e) {
            resetQuietly();
            throw SqliteJdbcErrors.map(e, sql);
        } finally {
            if (last != null) {
                // SQLite keeps the last set's bindings, and so does the values array.
                System.arraycopy(last, 0, values, 0, Math.min(last.length, values.length));
            }
        }
    }

    @Override
    public void reset() {
        pending = false;
        boolean wasRunning = running;
        running = false;
        columnNames = null;
        declaredTypes = null;
        if (wasRunning && !pointer.isClosed()) {
            try {
                pointer.safeRunInt(DB::reset);
            } catch (SQLException e) {
                throw SqliteJdbcErrors.map(e, sql);
            }
        }
    }

    /** Resets after a failure; the failure itself is what the caller reports. */
    private void resetQuietly() {
        pending = false;
        running = false;
        columnNames = null;
        declaredTypes = null;
        if (!pointer.isClosed()) {
            try {
                pointer.safeRunInt(DB::reset);
            } catch (SQLException | RuntimeException ignored) {
                // sqlite3_reset repeats the failed step's error; the step's own exception is the one to report.
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed || pointer.isClosed();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        try {
            ps.close();
        } catch (SQLException | RuntimeException ignored) {
            // Closing only finalizes; a failure leaves nothing to clean up, and the connection's close retries.
        }
    }

    private void ensureOpen() {
        if (isClosed()) {
            throw new SqliteException("the statement is closed (finalized)", SqliteException.SQLITE_MISUSE, sql, null);
        }
    }
}
