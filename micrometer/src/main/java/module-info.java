/**
 * sqlite-async-micrometer: Micrometer meters for a {@code Database}'s pool and an observation per call.
 */
module io.sqliteasync.micrometer {
    requires transitive io.sqliteasync.core;
    requires transitive micrometer.core;
    requires transitive micrometer.observation;

    exports io.sqliteasync.micrometer;
}
