package io.sqliteasync.dqlite;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds the leader of a dqlite cluster and connects to it. Given a few seed addresses, it asks each node which node
 * leads (request 0), connects to the leader, checks that it still leads, registers, and learns the other members
 * from the cluster listing so that it can find the leader later even when the seeds are down.
 *
 * <p>Discovery tries the last known leader first, then every known node, and repeats with a growing pause (50 ms up
 * to 1 s) until a leader answers or {@link DqliteClientOptions#discoveryTimeout()} has passed; an election after a
 * leader's death takes a few seconds. Thread-safe: several threads may connect at once.
 */
public final class DqliteConnector {
    private final DqliteClientOptions options;
    /** Every address known to belong to the cluster, seeds first; guarded by this. */
    private final Set<String> known = new LinkedHashSet<>();
    /** Written by any connecting thread, read by the next. */
    private volatile String lastLeader;

    private DqliteConnector(List<String> seeds, DqliteClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        for (String seed : seeds) {
            DqliteProtocolConnection.parseAddress(seed);
            known.add(seed);
        }
        if (known.isEmpty()) {
            throw new IllegalArgumentException("at least one seed address is needed");
        }
    }

    /**
     * A connector for the cluster that the given nodes belong to.
     *
     * @param seeds database addresses ({@code host:port}) of one or more members
     * @param options timeouts and limits
     * @return the connector
     * @throws IllegalArgumentException when there is no seed or one is not {@code host:port}
     */
    public static DqliteConnector of(List<String> seeds, DqliteClientOptions options) {
        return new DqliteConnector(List.copyOf(seeds), options);
    }

    /**
     * The options connections are made with.
     *
     * @return the options
     */
    public DqliteClientOptions options() {
        return options;
    }

    /**
     * The leader that the last successful discovery found.
     *
     * @return its address, or empty before the first discovery
     */
    public Optional<String> lastKnownLeader() {
        return Optional.ofNullable(lastLeader);
    }

    /**
     * The addresses known to belong to the cluster: the seeds and the members learned since.
     *
     * @return a snapshot of the addresses
     */
    public synchronized List<String> knownAddresses() {
        return new ArrayList<>(known);
    }

    /**
     * Finds the current leader and returns a registered connection to it, without a database.
     *
     * @return a connection to the leader
     * @throws DqliteConnectException when no node named a reachable leader within the discovery timeout; the
     *     message lists what each address answered
     */
    public DqliteProtocolConnection connectToLeader() {
        long start = System.nanoTime();
        long deadline = start + options.discoveryTimeout().toNanos();
        Map<String, String> outcomes = new LinkedHashMap<>();
        DqliteException lastFailure = null;
        long pauseMillis = 50;
        for (int round = 1;; round++) {
            for (String address : candidates()) {
                if (deadline - System.nanoTime() <= 0) {
                    break;
                }
                try {
                    Attempt attempt = tryNode(address, deadline);
                    if (attempt.connection != null) {
                        return attempt.connection;
                    }
                    if (attempt.pointer == null) {
                        outcomes.put(address, "knows no leader");
                        continue;
                    }
                    outcomes.put(address, "names " + attempt.pointer + " as leader");
                    Attempt followed = tryNode(attempt.pointer, deadline);
                    if (followed.connection != null) {
                        return followed.connection;
                    }
                    outcomes.put(attempt.pointer, "named as leader but says "
                            + (followed.pointer == null ? "it knows no leader" : followed.pointer + " leads"));
                } catch (DqliteException e) {
                    lastFailure = e;
                    outcomes.put(address, e.getMessage());
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DqliteConnectException("no dqlite leader found in "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms (" + round + " rounds): "
                        + outcomes, lastFailure);
            }
            sleep(Math.min(pauseMillis, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            pauseMillis = Math.min(pauseMillis * 2, 1000);
        }
    }

    private List<String> candidates() {
        List<String> order = new ArrayList<>();
        String leader = lastLeader;
        if (leader != null) {
            order.add(leader);
        }
        synchronized (this) {
            for (String address : known) {
                if (!address.equals(leader)) {
                    order.add(address);
                }
            }
        }
        return order;
    }

    /** Asks one node for the leader; when the node is the leader, keeps the connection and registers. */
    private Attempt tryNode(String address, long deadline) {
        DqliteClientOptions bounded = options;
        long leftMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        if (leftMillis < options.dialTimeout().toMillis()) {
            bounded = options.toBuilder().dialTimeout(java.time.Duration.ofMillis(leftMillis)).build();
        }
        DqliteProtocolConnection connection = DqliteProtocolConnection.connect(address, bounded);
        boolean keep = false;
        try {
            connection.setReadTimeout((int) Math.min(options.readTimeout().toMillis(), leftMillis));
            Optional<DqliteNode> leader = connection.leader();
            if (leader.isEmpty()) {
                return new Attempt(null, null);
            }
            String leaderAddress = leader.get().address();
            if (!sameAddress(leaderAddress, address)) {
                learn(List.of(leaderAddress));
                return new Attempt(null, leaderAddress);
            }
            connection.register();
            List<String> members = new ArrayList<>();
            for (DqliteNode node : connection.cluster()) {
                members.add(node.address());
            }
            learn(members);
            connection.setReadTimeout((int) options.readTimeout().toMillis());
            lastLeader = address;
            keep = true;
            return new Attempt(connection, null);
        } finally {
            if (!keep) {
                connection.close();
            }
        }
    }

    private synchronized void learn(List<String> addresses) {
        for (String address : addresses) {
            try {
                DqliteProtocolConnection.parseAddress(address);
                known.add(address);
            } catch (IllegalArgumentException ignored) {
                // A member address this client cannot dial (for example a unix socket) is not a candidate.
            }
        }
    }

    static boolean sameAddress(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            InetSocketAddress x = DqliteProtocolConnection.parseAddress(a);
            InetSocketAddress y = DqliteProtocolConnection.parseAddress(b);
            return x.getPort() == y.getPort() && x.getAddress() != null && x.getAddress().equals(y.getAddress());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DqliteConnectException("interrupted while looking for the dqlite leader", e);
        }
    }

    private record Attempt(DqliteProtocolConnection connection, String pointer) {
    }
}
