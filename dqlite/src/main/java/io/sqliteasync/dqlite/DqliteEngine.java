package io.sqliteasync.dqlite;

import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.Capabilities;
import io.sqliteasync.internal.engine.Capability;
import io.sqliteasync.internal.engine.Engine;
import io.sqliteasync.internal.engine.EngineConnection;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine seam over a dqlite cluster: each engine connection is one protocol connection to the current leader,
 * found again after a leadership change. No callbacks run on the server, so functions, collations, hooks, busy and
 * progress handlers, backup, extensions, serialize and the raw JDBC connection are absent; cancellation and
 * deadlines work through {@link Capability#STOP_CHECK} (the wait for an answer is checked every 50 ms) and by
 * closing the connection.
 */
final class DqliteEngine implements Engine {
    static final DqliteEngine INSTANCE = new DqliteEngine();

    private static final Capabilities CAPABILITIES = Capabilities.of("dqlite", EnumSet.of(
            Capability.STOP_CHECK, Capability.INTERRUPT, Capability.TRANSACTION_STATE));
    /** dqlite keeps the database in WAL mode and replicates every commit; these settings are its own. */
    private static final Set<String> MANAGED = Set.of("journal_mode", "synchronous", "locking_mode",
            "wal_autocheckpoint");
    /** One connector per cluster and settings: it remembers the leader and the members for every connection. */
    private final Map<String, DqliteConnector> connectors = new ConcurrentHashMap<>();

    private DqliteEngine() {
    }

    @Override
    public String name() {
        return "dqlite";
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Set<String> managedPragmas() {
        return MANAGED;
    }

    @Override
    public EngineConnection open(ConnectionOptions options) {
        DqliteUrl url;
        try {
            url = DqliteUrl.parse(options.path());
        } catch (IllegalArgumentException e) {
            throw new SqliteException(e.getMessage(), SqliteException.SQLITE_CANTOPEN, null, e);
        }
        return new DqliteEngineConnection(this, url, connector(url), options);
    }

    /**
     * The connector for a cluster. Its discovery runs in slices of at most one second, so that a call waiting for
     * an election checks for cancellation and its deadline between slices; the failover timeout bounds the whole.
     */
    private DqliteConnector connector(DqliteUrl url) {
        DqliteClientOptions o = url.options();
        Duration slice = o.discoveryTimeout().compareTo(Duration.ofSeconds(1)) < 0 ? o.discoveryTimeout()
                : Duration.ofSeconds(1);
        DqliteClientOptions sliced = o.toBuilder().discoveryTimeout(slice).build();
        return connectors.computeIfAbsent(url.seeds() + " " + sliced, k -> DqliteConnector.of(url.seeds(), sliced));
    }

    @Override
    public SqliteException translate(Throwable failure, String sql) {
        return failure instanceof SqliteException e ? e : null;
    }
}
