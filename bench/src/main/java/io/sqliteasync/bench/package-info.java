/**
 * Benchmarks of sqlite-async against plain sqlite-jdbc: the aio_bench port ({@link io.sqliteasync.bench.AioBench}),
 * round-trip latency ({@link io.sqliteasync.bench.RoundTrip}), virtual-thread carrier stalls
 * ({@link io.sqliteasync.bench.Stall}) and the report writer ({@link io.sqliteasync.bench.Report}). Run them all
 * with {@code bench/run}.
 */
package io.sqliteasync.bench;
