package io.sqliteasync.dqlite;

/**
 * The server answered a request with a failure response: an SQLite error (syntax, constraint, busy, ...) or a
 * dqlite one. {@link #extendedResultCode()} is the code the server sent, for example {@code 1} for a syntax error,
 * {@code 2067} for a unique constraint, {@value #SQLITE_IOERR_NOT_LEADER} when the node is not the leader.
 *
 * <p>The connection stays usable after a failure response: the server answered, the stream is in step.
 */
public class DqliteFailureException extends DqliteException {
    private static final long serialVersionUID = 1L;

    /** {@code SQLITE_IOERR_NOT_LEADER} (10 | 40 &lt;&lt; 8): the node is not the leader; the request did not run. */
    public static final int SQLITE_IOERR_NOT_LEADER = 10 | (40 << 8);
    /**
     * {@code SQLITE_IOERR_LEADERSHIP_LOST} (10 | 41 &lt;&lt; 8): the node lost leadership while the request ran;
     * a write may or may not have been committed.
     */
    public static final int SQLITE_IOERR_LEADERSHIP_LOST = 10 | (41 << 8);
    /** The code older dqlite servers used for {@link #SQLITE_IOERR_NOT_LEADER} (10 | 32 &lt;&lt; 8). */
    public static final int SQLITE_IOERR_NOT_LEADER_LEGACY = 10 | (32 << 8);
    /** The code older dqlite servers used for {@link #SQLITE_IOERR_LEADERSHIP_LOST} (10 | 33 &lt;&lt; 8). */
    public static final int SQLITE_IOERR_LEADERSHIP_LOST_LEGACY = 10 | (33 << 8);
    /** {@code DQLITE_PARSE}: the server could not parse the request. */
    public static final int DQLITE_PARSE = 1005;

    /**
     * Creates the exception from a failure response.
     *
     * @param message the server's message
     * @param code the server's code
     * @param sql the SQL text of the request, or {@code null}
     */
    public DqliteFailureException(String message, int code, String sql) {
        super(message + " (code " + code + ")", code, sql, null);
    }

    /**
     * Whether the failure says the node is not (or is no longer) the leader, so that the client should find the
     * leader again. The request did not run when the code is {@link #SQLITE_IOERR_NOT_LEADER}; after
     * {@link #SQLITE_IOERR_LEADERSHIP_LOST} its outcome is unknown.
     *
     * @return true for the not-leader and leadership-lost codes, current and legacy
     */
    public boolean isLeadershipChange() {
        int code = extendedResultCode();
        return code == SQLITE_IOERR_NOT_LEADER || code == SQLITE_IOERR_LEADERSHIP_LOST
                || code == SQLITE_IOERR_NOT_LEADER_LEGACY || code == SQLITE_IOERR_LEADERSHIP_LOST_LEGACY;
    }

    /**
     * Whether the server certainly did not run the request: it was not the leader when the request arrived.
     *
     * @return true for the not-leader codes, current and legacy
     */
    public boolean isNotLeader() {
        int code = extendedResultCode();
        return code == SQLITE_IOERR_NOT_LEADER || code == SQLITE_IOERR_NOT_LEADER_LEGACY;
    }
}
