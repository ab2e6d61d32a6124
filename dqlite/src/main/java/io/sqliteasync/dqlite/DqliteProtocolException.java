package io.sqliteasync.dqlite;

/**
 * The peer does not speak dqlite protocol version 1: it refused the handshake, answered with bytes that are not a
 * dqlite message (not a dqlite server on that port), or sent a malformed or unexpected message. The connection is
 * closed afterwards.
 */
public class DqliteProtocolException extends DqliteException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong with what the peer sent
     * @param cause the underlying failure, or {@code null}
     */
    public DqliteProtocolException(String message, Throwable cause) {
        super(message, -1, null, cause);
    }
}
