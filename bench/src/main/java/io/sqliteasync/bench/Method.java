package io.sqliteasync.bench;

import java.util.List;

/** The method notes of the report: how each figure was taken and where the port differs from the original. */
final class Method {
    private Method() {
    }

    static List<String> notes() {
        return List.of(
                "## Method",
                "",
                "- Workload: `AIO_BENCH_SPEC.md` (APSW `tools/aio_bench.py`): fresh `:memory:` connection per run, "
                        + "setup script, loop COUNT (fetch all) / SOURCE (iterated in prefetch batches, every row "
                        + "materialised) / `executeMany(INSERT, rows)` until COUNT > target. The timed region starts "
                        + "after the connection (and its worker) is open and ends before it is closed; the setup "
                        + "script is inside. Every run checks that all libraries end at the same row count.",
                "- Order as in the original: for each prefetch, for each repetition, for each semantics, every "
                        + "driver in turn. Each driver first runs unmeasured warm-up loops (prefetch 64 and 1), so "
                        + "these are warm (JIT-compiled) figures; the Python peers have no JIT.",
                "- Semantics: `autocommit` = `BatchMode.AUTOCOMMIT` (each inserted row its own transaction, like "
                        + "the APSW rows); `atomic` = `BatchMode.ATOMIC` (one savepoint, hence one transaction, per "
                        + "executeMany). Sync sqlite-jdbc: one JDBC batch per iteration, autocommit on, or off with "
                        + "`commit()` after each batch.",
                "- Caller styles of sqlite-async: `platform-join` (the benchmark's platform thread calls the async "
                        + "API and `join()`s each future; SOURCE via `Cursor.fetchMany(prefetch)` until a short "
                        + "batch); `vthread-blocking` (one virtual thread using `blocking()`, SOURCE via "
                        + "`blocking().stream()`); `cf-chain` (non-blocking `CompletableFuture` chain with default "
                        + "options: stages complete on the worker, and calls made there run inline, so after the "
                        + "first hop the loop runs entirely on the worker with no hand-off, and the caller clock is "
                        + "the worker's); `cf-loop` (the same chain with `completionExecutor` = a single-thread "
                        + "executor standing in for an event loop: two cross-thread hand-offs per call, like "
                        + "asyncio). The chain styles read SOURCE through `stream()` (`Flow.Publisher`).",
                "- Round trips per loop iteration with r rows: platform-join 1 (COUNT) + 1 (cursor open) + "
                        + "floor(r/p)+1 fetches + 1 (executeMany); `stream()` merges the open into the first fetch "
                        + "and learns the end from the batch, so it needs ceil(r/p) fetches (+1 when p divides r). "
                        + "The peers need ceil(r/p)+5 (APSW) or +6 (aiosqlite).",
                "- Clocks: wall = `System.nanoTime()`; cpu total = `OperatingSystemMXBean.getProcessCpuTime()` "
                        + "(all threads, so JIT and GC too, which CPython does not have); cpu worker = "
                        + "`ThreadMXBean.getThreadCpuTime` of the connection's worker thread (found by running "
                        + "`Thread.currentThread()` inside `AsyncConnection.run`, name checked against the "
                        + "`sqlite-async-` prefix); cpu caller = the driving platform thread's `getThreadCpuTime` "
                        + "(user+sys; the user part is shown separately, it is the original's `CpuEvtLoop`). A "
                        + "virtual thread has no CPU clock of its own in the JVM, so for `vthread-blocking` the "
                        + "caller figure is the summed CPU of the virtual-thread scheduler's carrier threads over the "
                        + "run (only that one virtual thread runs then; it includes the carriers' own scheduling "
                        + "work).",
                "");
    }
}
