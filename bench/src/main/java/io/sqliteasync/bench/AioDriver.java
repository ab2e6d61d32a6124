package io.sqliteasync.bench;

import io.sqliteasync.bench.Workload.Semantics;

/** One way of running the aio_bench loop: a library and a caller style. */
interface AioDriver {
    /** The library label written to the CSV: {@code sqlite-async} or {@code sqlite-jdbc-sync}. */
    String library();

    /** The caller style, such as {@code platform-join}; {@code sync} for the synchronous baseline. */
    String style();

    /**
     * Opens a fresh {@code :memory:} database, runs the loop once and closes it; only the loop is timed.
     *
     * @param prefetch rows per fetch round trip while iterating SOURCE
     * @param semantics the transaction semantics of the inserts
     * @param target the loop ends once COUNT exceeds it
     * @return the measurements
     * @throws Exception when the run fails
     */
    Sample run(int prefetch, Semantics semantics, long target) throws Exception;
}
