package io.sqliteasync.dqlite;

import io.sqliteasync.SqliteException;

/**
 * A failure of the dqlite client: the server refused a request ({@link DqliteFailureException}), no node or no
 * leader could be reached ({@link DqliteConnectException}), a connection broke or timed out
 * ({@link DqliteConnectionLostException}), or the peer does not speak the dqlite protocol
 * ({@link DqliteProtocolException}).
 */
public class DqliteException extends SqliteException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, in words
     * @param code the result code the server sent, or {@code -1}
     * @param sql the SQL text of the failing request, or {@code null}
     * @param cause the underlying exception, or {@code null}
     */
    public DqliteException(String message, int code, String sql, Throwable cause) {
        super(message, code, sql, cause);
    }
}
