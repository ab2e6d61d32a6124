package io.sqliteasync.dqlite;

import java.util.List;
import java.util.Objects;

/**
 * One database kept open on whichever node leads the cluster. Each call runs on the current leader; when the
 * connection breaks or the node says it is not (or no longer) the leader, the session drops the connection and the
 * next call discovers the leader again through its {@link DqliteConnector}.
 *
 * <p>A request is repeated on the new leader only when it certainly did not run: the node answered
 * {@code SQLITE_IOERR_NOT_LEADER}. When the outcome is unknown (leadership lost during the request, connection
 * broken after the request was sent) the call throws and the caller decides; the session itself is ready for the
 * next call. Not thread-safe: one thread at a time.
 */
public final class DqliteSession implements AutoCloseable {
    /** How many times a request that certainly did not run is sent again to a newly found leader. */
    private static final int NOT_LEADER_RETRIES = 5;

    private final DqliteConnector connector;
    private final String database;
    private DqliteProtocolConnection connection;
    private int db;
    private int reconnects;
    private boolean closed;

    private DqliteSession(DqliteConnector connector, String database) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.database = Objects.requireNonNull(database, "database");
    }

    /**
     * Opens a session: finds the leader and opens the database there.
     *
     * @param connector the cluster's connector
     * @param database the database name
     * @return the session
     * @throws DqliteConnectException when no leader is found within the discovery timeout
     * @throws DqliteException when the database cannot be opened
     */
    public static DqliteSession open(DqliteConnector connector, String database) {
        DqliteSession session = new DqliteSession(connector, database);
        session.connection();
        return session;
    }

    /**
     * Runs SQL text that returns no rows on the leader, as {@link DqliteProtocolConnection#execSql}.
     *
     * @param sql the SQL text
     * @param params parameter values
     * @return the last insert id and the rows affected
     * @throws DqliteException when the request fails; see the class comment for what is retried
     */
    public DqliteExecResult execSql(String sql, Object... params) {
        for (int attempt = 0;; attempt++) {
            DqliteProtocolConnection c = connection();
            try {
                return c.execSql(db, sql, params);
            } catch (RuntimeException e) {
                if (!handle(e, attempt)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Runs a query on the leader and reads all of its rows.
     *
     * @param sql one statement
     * @param params parameter values
     * @return the rows, each an array with one value per column
     * @throws DqliteException when the request fails; see the class comment for what is retried
     */
    public List<Object[]> queryAll(String sql, Object... params) {
        for (int attempt = 0;; attempt++) {
            DqliteProtocolConnection c = connection();
            try (DqliteRows rows = c.querySql(db, sql, params)) {
                return rows.readAll();
            } catch (RuntimeException e) {
                if (!handle(e, attempt)) {
                    throw e;
                }
            }
        }
    }

    /**
     * The connection to the current leader with the database open, found anew when the last one was dropped.
     *
     * @return the connection; do not close it, close the session
     * @throws DqliteConnectException when no leader is found within the discovery timeout
     */
    public DqliteProtocolConnection connection() {
        if (closed) {
            throw new DqliteConnectionLostException("the session is closed", null, null);
        }
        if (connection == null || !connection.isOpen()) {
            if (connection != null) {
                reconnects++;
            }
            DqliteProtocolConnection c = connector.connectToLeader();
            try {
                db = c.open(database);
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    /**
     * The database id on the current connection.
     *
     * @return the id {@link DqliteProtocolConnection#open(String)} returned
     */
    public int db() {
        connection();
        return db;
    }

    /**
     * How many times the session found the leader again after losing its connection.
     *
     * @return the count
     */
    public int reconnects() {
        return reconnects;
    }

    /**
     * The address of the node the session talks to.
     *
     * @return the current leader's address as last discovered
     */
    public String leaderAddress() {
        return connection().address();
    }

    /** Closes the connection. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (connection != null) {
            connection.close();
        }
    }

    /** Drops the connection after a leadership change or a broken connection; says whether to try again. */
    private boolean handle(RuntimeException e, int attempt) {
        if (e instanceof DqliteFailureException f && f.isLeadershipChange()) {
            connection.close();
            return f.isNotLeader() && attempt < NOT_LEADER_RETRIES;
        }
        if (e instanceof DqliteConnectionLostException || e instanceof DqliteProtocolException) {
            connection.close();
        }
        return false;
    }
}
