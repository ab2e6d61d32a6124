package io.sqliteasync.dqlite.r2dbc;

import io.r2dbc.spi.ConnectionFactories;
import io.sqliteasync.dqlite.SharedCluster;
import io.sqliteasync.r2dbc.SqliteConnectionFactory;

/**
 * One database on the shared cluster for both TCK classes: the driver found through an {@code r2dbc:dqlite://} URL
 * naming every node, and a core connection as the JDBC side. Closed at JVM exit with the cluster.
 */
final class DqliteTck {
    static final SqliteConnectionFactory FACTORY;
    static final DqliteJdbcOperations JDBC;

    static {
        try {
            String nodes = SharedCluster.nodes();
            FACTORY = (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:dqlite://" + nodes
                    + "/r2dbc-tck?readers=2&failoverTimeout=20s");
            JDBC = new DqliteJdbcOperations("dqlite://" + nodes + "/r2dbc-tck?failoverTimeout=20s");
        } catch (Exception e) {
            throw new IllegalStateException("the dqlite cluster did not start", e);
        }
    }

    private DqliteTck() {
    }
}
