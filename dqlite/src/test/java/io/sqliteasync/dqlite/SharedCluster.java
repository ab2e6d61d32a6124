package io.sqliteasync.dqlite;

/**
 * One three-node cluster for every test class of this JVM that only reads and writes (the contract suite, the
 * example): started by the first caller, stopped at JVM exit. Classes that kill nodes start their own
 * {@link DqliteClusterExtension}.
 */
public final class SharedCluster {
    private static DqliteClusterExtension cluster;

    private SharedCluster() {
    }

    /**
     * The cluster, started on first use.
     *
     * @return the running cluster
     * @throws Exception when it cannot start (for example without {@code dqlite-demo})
     */
    public static synchronized DqliteClusterExtension get() throws Exception {
        if (cluster == null) {
            DqliteClusterExtension c = new DqliteClusterExtension();
            c.beforeAll(null);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> c.afterAll(null), "dqlite-shared-cluster-stop"));
            cluster = c;
        }
        return cluster;
    }

    /**
     * The nodes' addresses as a URL lists them.
     *
     * @return {@code host:port,host:port,host:port}
     * @throws Exception when the cluster cannot start
     */
    public static String nodes() throws Exception {
        return String.join(",", get().addresses());
    }

    /**
     * A {@code dqlite://} URL of a database on the shared cluster, naming every node.
     *
     * @param database the database name
     * @return the URL, with a failover timeout of 20 s
     * @throws Exception when the cluster cannot start
     */
    public static String url(String database) throws Exception {
        return "dqlite://" + String.join(",", get().addresses()) + "/" + database + "?failoverTimeout=20s";
    }
}
