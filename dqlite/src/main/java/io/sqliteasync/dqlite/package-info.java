/**
 * A client of the dqlite wire protocol (version 1): {@link io.sqliteasync.dqlite.DqliteProtocolConnection} is one
 * blocking socket to one node, {@link io.sqliteasync.dqlite.DqliteConnector} finds the cluster's leader from a few
 * seed addresses, and {@link io.sqliteasync.dqlite.DqliteSession} keeps a database open on whichever node leads.
 *
 * <p>Every failure is a {@link io.sqliteasync.dqlite.DqliteException}, itself a
 * {@link io.sqliteasync.SqliteException}: a failure the server reports carries SQLite's (or dqlite's) result code;
 * unreachable nodes, lost connections and servers that do not speak the protocol have their own subclasses.
 */
package io.sqliteasync.dqlite;
