package io.sqliteasync;

/**
 * A call did not get what it waited for in time: a {@link Database} could not lease a connection within
 * {@link DatabaseOptions#acquireTimeout()}, or a transaction or read scope outlived
 * {@link DatabaseOptions#transactionTimeout()} and was rolled back. The pool stays usable.
 */
public class SqliteTimeoutException extends SqliteException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what timed out, after how long, and what to change
     */
    public SqliteTimeoutException(String message) {
        super(message, -1, null, null);
    }
}
