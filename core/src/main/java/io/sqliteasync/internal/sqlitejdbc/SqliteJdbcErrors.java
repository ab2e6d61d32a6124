package io.sqliteasync.internal.sqlitejdbc;

import io.sqliteasync.SqliteBusyException;
import io.sqliteasync.SqliteConstraintException;
import io.sqliteasync.SqliteException;
import java.sql.SQLException;
import org.sqlite.SQLiteException;

/** Maps what sqlite-jdbc throws to {@link SqliteException}s with SQLite's primary and extended result codes. */
final class SqliteJdbcErrors {
    private SqliteJdbcErrors() {
    }

    /**
     * Maps an sqlite-jdbc failure.
     *
     * @param t what was thrown
     * @param sql the SQL text, or {@code null}
     * @return the mapped exception, or {@code null} for anything that is not an {@link SQLException}
     */
    static SqliteException translate(Throwable t, String sql) {
        if (t instanceof SqliteException) {
            return (SqliteException) t;
        }
        if (t instanceof SQLiteException) {
            SQLiteException e = (SQLiteException) t;
            int code = e.getResultCode().code;
            String message = e.getResultCode().name() + ": " + detail(e);
            switch (code < 0 ? -1 : code & 0xff) {
                case SqliteException.SQLITE_BUSY:
                case SqliteException.SQLITE_LOCKED:
                    return new SqliteBusyException(message, code, sql, e);
                case SqliteException.SQLITE_CONSTRAINT:
                    return new SqliteConstraintException(message, code, sql, e);
                default:
                    return new SqliteException(message, code, sql, e);
            }
        }
        if (t instanceof SQLException) {
            SQLException e = (SQLException) t;
            int code = e.getErrorCode() > 0 ? e.getErrorCode() : -1;
            return new SqliteException(String.valueOf(e.getMessage()), code, sql, e);
        }
        return null;
    }

    /** Like {@link #translate}, for failures that must map: anything unknown becomes a plain SqliteException. */
    static SqliteException map(Throwable t, String sql) {
        SqliteException e = translate(t, sql);
        return e != null ? e : new SqliteException("the command failed: " + t, -1, sql, t);
    }

    /** sqlite-jdbc formats "[CODE] generic text (specific text)"; the specific text is what users need. */
    private static String detail(SQLiteException e) {
        String m = String.valueOf(e.getMessage());
        String prefix = "[" + e.getResultCode().name() + "] " + e.getResultCode().message;
        if (m.startsWith(prefix)) {
            String rest = m.substring(prefix.length()).strip();
            if (rest.startsWith("(") && rest.endsWith(")")) {
                return rest.substring(1, rest.length() - 1);
            }
            return rest.isEmpty() ? e.getResultCode().message : rest;
        }
        return m;
    }
}
