/**
 * sqlite-async-dqlite: a pure-Java client of the dqlite wire protocol (version 1). dqlite replicates SQLite over
 * Raft; this module finds the cluster's leader, speaks to it over a plain socket and follows leadership changes.
 */
module io.sqliteasync.dqlite {
    requires transitive io.sqliteasync.core;

    exports io.sqliteasync.dqlite;

    provides io.sqliteasync.internal.engine.EngineProvider with io.sqliteasync.dqlite.DqliteEngineProvider;
}
