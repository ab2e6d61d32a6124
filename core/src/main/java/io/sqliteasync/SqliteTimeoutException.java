package io.sqliteasync;

/**
 * A call's deadline passed: while it waited in the queue, while SQLite ran it (SQLite is then stopped through the
 * progress handler), or while the worker waited for an async callback. The connection stays usable; an explicit
 * transaction whose statement was stopped this way is rolled back.
 */
public class SqliteTimeoutException extends SqliteException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what timed out and where it was
     * @param sql the SQL text, or {@code null}
     */
    public SqliteTimeoutException(String message, String sql) {
        super(message, SQLITE_INTERRUPT, sql, null);
    }
}
