package io.sqliteasync.internal.worker;

import io.sqliteasync.SqliteBusyException;
import io.sqliteasync.SqliteConstraintException;
import io.sqliteasync.SqliteException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;

/** Turns whatever a JDBC call threw into a {@link SqliteException} that names the problem and the SQL. */
public final class Errors {
    private Errors() {
    }

    /**
     * Maps a failure.
     *
     * @param t what was thrown
     * @param sql the SQL text of the command, or {@code null}
     * @return a {@link SqliteException}; {@code t} itself when it already is one
     */
    public static SqliteException map(Throwable t, String sql) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof SqliteException) {
            return (SqliteException) t;
        }
        if (t instanceof org.sqlite.SQLiteException) {
            org.sqlite.SQLiteException e = (org.sqlite.SQLiteException) t;
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
        if (t instanceof OutOfMemoryError) {
            return new SqliteException("out of memory while running the command: " + t.getMessage(), -1, sql, t);
        }
        return new SqliteException("the command failed: " + t, -1, sql, t);
    }

    /**
     * Maps a failure that a callback caused: a timeout or deadlock in the callback is reported as itself; any other
     * callback exception becomes the cause of the statement's failure.
     *
     * @param t what the statement threw
     * @param sql the SQL text, or {@code null}
     * @param fromCallback what a callback threw during the statement, or {@code null}
     * @return the exception to fail the call with
     */
    public static SqliteException map(Throwable t, String sql, Throwable fromCallback) {
        if (fromCallback == null) {
            return map(t, sql);
        }
        if (fromCallback instanceof io.sqliteasync.SqliteTimeoutException
                || fromCallback instanceof io.sqliteasync.SqliteDeadlockException) {
            return (SqliteException) fromCallback;
        }
        SqliteException mapped = map(t, sql);
        return new SqliteException(messageWithoutSql(mapped) + " (callback threw " + fromCallback + ")",
                mapped.extendedResultCode(), mapped.sql(), fromCallback);
    }

    private static String messageWithoutSql(SqliteException e) {
        String m = e.getMessage();
        int i = m.lastIndexOf(" [SQL: ");
        return i < 0 ? m : m.substring(0, i);
    }

    /** sqlite-jdbc formats "[CODE] generic text (specific text)"; the specific text is what users need. */
    private static String detail(org.sqlite.SQLiteException e) {
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
