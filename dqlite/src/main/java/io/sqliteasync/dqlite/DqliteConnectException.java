package io.sqliteasync.dqlite;

/**
 * No connection could be made: a node did not accept the connection within the dial timeout, or, during leader
 * discovery, no node named a reachable leader before the discovery timeout. Nothing was sent to the database.
 */
public class DqliteConnectException extends DqliteException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which addresses were tried and what happened
     * @param cause the last underlying failure, or {@code null}
     */
    public DqliteConnectException(String message, Throwable cause) {
        super(message, -1, null, cause);
    }
}
