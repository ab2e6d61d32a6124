package io.sqliteasync.dqlite;

import io.sqliteasync.SqliteException;

/**
 * A statement that changes the database (or a {@code COMMIT}) was sent to the leader, and then the connection broke
 * or the leader lost its leadership before it answered: the change may or may not have been committed. The library
 * never sends such a statement again on its own, since that could apply it twice; the caller decides (read the data
 * back, or repeat an idempotent statement). The connection is usable: the next call finds the leader again.
 *
 * <p>A change stopped by cancellation, a deadline or {@code interrupt()} after it was sent has an unknown outcome
 * too (closing the connection, the only way to stop a request, does not stop a commit the leader is replicating):
 * {@code interrupt()} fails with this exception, and a deadline's {@code SqliteTimeoutException} carries it as a
 * suppressed exception. Its result code is SQLite's for the underlying failure ({@code SQLITE_IOERR} for a lost
 * connection, {@code SQLITE_INTERRUPT} for a stop).
 *
 * <p>Reads are never reported this way: a read that lost its connection outside a transaction is repeated on the
 * new leader. A statement that certainly did not run (the node answered that it is not the leader, or no node could
 * be reached) is repeated too, or fails with {@link DqliteConnectException}.
 */
public class DqliteUnknownOutcomeException extends DqliteException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was sent and what happened
     * @param sql the statement whose outcome is unknown
     * @param cause the connection failure or the leadership-lost response
     */
    public DqliteUnknownOutcomeException(String message, String sql, Throwable cause) {
        super(message, cause instanceof SqliteException e && e.extendedResultCode() > 0 ? e.extendedResultCode() : 10,
                sql, cause);
    }
}
