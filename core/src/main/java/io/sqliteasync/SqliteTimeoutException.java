package io.sqliteasync;

/**
 * A call did not get what it waited for in time: its deadline passed while it waited in the queue, while SQLite ran
 * it (SQLite is then stopped through the progress handler), or while the worker waited for an async callback; or a
 * {@link Database} could not lease a connection within {@link DatabaseOptions#acquireTimeout()}, or a transaction or
 * read scope outlived {@link DatabaseOptions#transactionTimeout()} and was rolled back. The connection or pool stays
 * usable; SQLite rolls back an explicit transaction whose write was stopped (a stopped read leaves it open).
 */
public class SqliteTimeoutException extends SqliteException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for a deadline that passed while SQLite worked on a statement.
     *
     * @param message what timed out and where it was
     * @param sql the SQL text, or {@code null}
     */
    public SqliteTimeoutException(String message, String sql) {
        super(message, SQLITE_INTERRUPT, sql, null);
    }

    /**
     * Creates the exception for a wait that did not involve SQLite.
     *
     * @param message what timed out, after how long, and what to change
     */
    public SqliteTimeoutException(String message) {
        super(message, -1, null, null);
    }
}
