/**
 * sqlite-async: asynchronous SQLite for the JVM. Every connection is owned by one worker thread; callers get
 * futures, row streams or a blocking view that is safe on virtual threads.
 */
module io.sqliteasync.core {
    requires transitive java.sql;
    requires org.xerial.sqlitejdbc;
    requires static context.propagation;

    exports io.sqliteasync;
    exports io.sqliteasync.codec;
    exports io.sqliteasync.internal.sql to io.sqliteasync.r2dbc, io.sqliteasync.dqlite;
    exports io.sqliteasync.internal.engine to io.sqliteasync.dqlite;

    uses io.sqliteasync.codec.Codec;
    uses io.sqliteasync.internal.engine.EngineProvider;
}
