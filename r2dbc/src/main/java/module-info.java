/**
 * sqlite-async-r2dbc: an R2DBC SPI 1.0 driver for SQLite over sqlite-async. Connections from one factory share one
 * writer and a set of WAL readers; rows are stepped as demand arrives.
 */
// The SPI, Reactor and Reactive Streams jars are automatic modules; our public types expose theirs, hence transitive.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.sqliteasync.r2dbc {
    requires transitive io.sqliteasync.core;
    requires transitive r2dbc.spi;
    requires transitive reactor.core;
    requires transitive org.reactivestreams;

    // Spring support: optional, used only when Spring loads io.sqliteasync.r2dbc.spring through spring.factories.
    requires static spring.core;
    requires static spring.data.commons;
    requires static spring.data.relational;
    requires static spring.data.r2dbc;
    requires static spring.r2dbc;

    exports io.sqliteasync.r2dbc;
    exports io.sqliteasync.r2dbc.spring;

    provides io.r2dbc.spi.ConnectionFactoryProvider with io.sqliteasync.r2dbc.SqliteConnectionFactoryProvider,
            io.sqliteasync.r2dbc.DqliteConnectionFactoryProvider;
}
