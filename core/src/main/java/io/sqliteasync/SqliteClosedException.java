package io.sqliteasync;

/**
 * The connection (or cursor) was closed, or its worker thread stopped, before the call could run. Every call made
 * after {@code close()} fails with this exception; so does every queued and later call of a connection whose worker
 * thread died, with the cause that killed it.
 */
public class SqliteClosedException extends SqliteException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was closed
     * @param cause why the worker stopped, or {@code null} after a regular close
     */
    public SqliteClosedException(String message, Throwable cause) {
        super(message, SQLITE_MISUSE, null, cause);
    }
}
