package io.sqliteasync.dqlite;

/**
 * An established connection broke: the node closed or reset it (for example in the middle of a row batch), it did
 * not answer within the read timeout, or it was closed to stop a query. The connection is closed afterwards; open a
 * new one. Whether the request that was in flight ran on the server is unknown.
 */
public class DqliteConnectionLostException extends DqliteException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the connection was doing when it broke
     * @param sql the SQL text of the request in flight, or {@code null}
     * @param cause the underlying I/O failure, or {@code null}
     */
    public DqliteConnectionLostException(String message, String sql, Throwable cause) {
        super(message, -1, sql, cause);
    }
}
