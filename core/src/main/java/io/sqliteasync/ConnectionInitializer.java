package io.sqliteasync;

import java.sql.Connection;

/**
 * Code run once on every connection a {@link Database} opens, after its pragmas and before it serves any call: for
 * example to register SQL functions or collations with sqlite-jdbc's {@code Function} and {@code Collation}.
 */
@FunctionalInterface
public interface ConnectionInitializer {
    /**
     * Prepares one connection. Runs on that connection's worker thread; the connection must not be kept or handed to
     * another thread (it is open in SQLite's multi-thread mode, see {@link AsyncConnection#run}). Reader connections
     * are switched to {@code PRAGMA query_only} only after this returns.
     *
     * @param connection the raw JDBC connection
     * @param writer {@code true} for the writer (or the single shared connection), {@code false} for a reader
     * @throws Exception anything; it fails {@link Database#open(DatabaseOptions)}, which then closes every
     *     connection it opened
     */
    void initialize(Connection connection, boolean writer) throws Exception;
}
