package io.sqliteasync.internal.sqlitejdbc;

import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.EngineStatement;
import io.sqliteasync.internal.engine.RowSink;
import io.sqliteasync.internal.engine.StatementResult;
import io.sqliteasync.internal.sql.SqlParameters;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;
import org.sqlite.core.SafeStmtPtr;

/**
 * A statement of the sqlite-jdbc engine. Parameters are bound and the statement is started through sqlite-jdbc's
 * {@link PreparedStatement} (its {@code sqlite3_bind_*} calls are package-private); the rows after the first are
 * stepped with the low-level {@code DB.step}, and every row is read column by column straight from the native
 * statement ({@code sqlite3_column_type}, then {@code column_int64/double/text/blob}), so values keep their exact
 * storage class and no JDBC conversion runs. The result set stays open only so that closing it resets the
 * statement the way sqlite-jdbc expects.
 * Every native call goes through sqlite-jdbc's {@link SafeStmtPtr}, which throws once the statement is finalized
 * instead of touching freed memory.
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
    private final SafeStmtPtr pointer;
    private final String sql;
    /**
     * The column count at prepare time, as sqlite-jdbc's own statement keeps it: whether the statement returns rows
     * at all, asked before every query, without a native call. A running execution re-reads its columns.
     */
    private final int preparedColumns;
    private SqlParameters names;
    /** The running execution's result set, between start() and the end or reset(). */
    private ResultSet rs;
    /** Whether the result set stands on a row not yet delivered. */
    private boolean pending;
    /** The running execution's column count. */
    private int columns;
    private String[] columnNames;
    private String[] declaredTypes;
    private boolean closed;

    SqliteJdbcStatement(SqliteJdbcConnection connection, PreparedStatement ps, String sql) {
        this.connection = connection;
        this.ps = ps;
        this.pointer = ((CoreStatement) ps).pointer;
        this.sql = sql;
        try {
            this.preparedColumns = pointer.safeRunInt((d, p) -> d.column_count(p));
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
        try {
            return ps.getParameterMetaData().getParameterCount();
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, sql);
        }
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
        return rs != null ? columns : preparedColumns;
    }

    @Override
    public String columnName(int column) {
        ensureOpen();
        if (rs != null) {
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
        if (rs != null) {
            return declaredTypes[column];
        }
        try {
            return pointer.safeRun((d, p) -> d.column_decltype(p, column));
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    @Override
    public Boolean readOnly() {
        return null;
    }

    @Override
    public void bind(int index, Object v) {
        ensureOpen();
        try {
            if (v == null) {
                ps.setNull(index, Types.NULL);
            } else if (v instanceof Long) {
                ps.setLong(index, (Long) v);
            } else if (v instanceof String) {
                ps.setString(index, (String) v);
            } else if (v instanceof Double) {
                ps.setDouble(index, (Double) v);
            } else if (v instanceof byte[]) {
                ps.setBytes(index, (byte[]) v);
            } else {
                throw new SqliteException("not a storage value: " + v.getClass().getName() + " for parameter " + index,
                        SqliteException.SQLITE_MISMATCH, sql, null);
            }
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    @Override
    public void clearBindings() {
        ensureOpen();
        try {
            ps.clearParameters();
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    @Override
    public boolean start() {
        ensureOpen();
        reset();
        try {
            if (preparedColumns == 0) {
                ps.execute();
                return false;
            }
            ResultSet r = ps.executeQuery();
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
            rs = r;
            columnNames = described[0];
            declaredTypes = described[1];
            columns = columnNames.length;
            // The first next() does not step: executeQuery already stepped to the first row.
            pending = r.next();
            if (!pending) {
                reset();
            }
            return pending;
        } catch (SQLException e) {
            reset();
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    @Override
    public boolean fetch(RowSink sink, int max) {
        ensureOpen();
        if (rs == null) {
            return false;
        }
        try {
            int delivered = 0;
            if (pending) {
                sink.row(pointer.safeRun(this::readRow));
                pending = false;
                delivered++;
            }
            while (delivered < max) {
                // sqlite3_step and the row's columns in one native section, instead of the result set's next()
                // and a second section for the columns. An error is thrown as the result set would throw it.
                Object[] row = pointer.safeRun(this::stepAndRead);
                if (row == null) {
                    reset();
                    return false;
                }
                sink.row(row);
                delivered++;
            }
            return true;
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    /** Steps; returns the new row, or {@code null} when the statement is done. */
    private Object[] stepAndRead(DB d, long p) throws SQLException {
        int rc = d.step(p);
        if (rc == SQLITE_ROW) {
            return readRow(d, p);
        }
        if (rc != SQLITE_DONE) {
            d.throwex(rc);
        }
        return null;
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
                    v[i] = d.column_text(p, i);
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
            if (ps.execute()) {
                ps.getResultSet().close();
            }
            // sqlite3_changes keeps the count of the last statement that changed rows: a statement that changed
            // nothing (DDL, a query) must report nothing.
            long changes = db.total_changes() == before ? 0 : db.changes();
            return new StatementResult(changes, connection.lastInsertRowid());
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    @Override
    public StatementResult executeBatch(List<Object[]> sets) {
        ensureOpen();
        reset();
        if (sets.isEmpty()) {
            return new StatementResult(0, connection.lastInsertRowid());
        }
        DB db = connection.db();
        try {
            // One native loop binds and steps every set: several times faster than a JDBC execute per set.
            for (Object[] set : sets) {
                for (int i = 0; i < set.length; i++) {
                    bind(i + 1, set[i]);
                }
                ps.addBatch();
            }
            long before = db.total_changes();
            int[] counts;
            try {
                counts = ps.executeBatch();
            } finally {
                ps.clearBatch();
            }
            long changes = 0;
            // As in execute(): sqlite-jdbc reports changes() for every set, so a batch that changed nothing (DDL)
            // must count nothing.
            if (db.total_changes() != before) {
                for (int c : counts) {
                    changes += Math.max(c, 0);
                }
            }
            return new StatementResult(changes, connection.lastInsertRowid());
        } catch (SQLException e) {
            try {
                ps.clearBatch();
            } catch (SQLException ignored) {
                // The statement is closed by its owner after a failure anyway.
            }
            throw SqliteJdbcErrors.map(e, sql);
        }
    }

    @Override
    public void reset() {
        pending = false;
        ResultSet r = rs;
        rs = null;
        columnNames = null;
        declaredTypes = null;
        if (r != null) {
            try {
                // Closing sqlite-jdbc's result set resets the native statement.
                r.close();
            } catch (SQLException e) {
                throw SqliteJdbcErrors.map(e, sql);
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
        rs = null;
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
