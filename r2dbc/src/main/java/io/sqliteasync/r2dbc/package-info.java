/**
 * The R2DBC driver. Entry points: {@link io.sqliteasync.r2dbc.SqliteConnectionFactory} (programmatic) and
 * {@link io.sqliteasync.r2dbc.SqliteConnectionFactoryProvider} (URLs such as {@code r2dbc:sqlite:////abs/app.db},
 * found by {@code ConnectionFactories}), and {@link io.sqliteasync.r2dbc.DqliteConnectionFactoryProvider} for the
 * same driver over a dqlite cluster ({@code r2dbc:dqlite://host:port,host:port/app}). Publishers complete on the worker threads of the shared
 * {@link io.sqliteasync.Database}; see {@link io.sqliteasync.r2dbc.SqliteConnection} for routing, threading,
 * cancellation and timeouts.
 */
package io.sqliteasync.r2dbc;
