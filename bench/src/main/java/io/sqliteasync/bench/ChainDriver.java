package io.sqliteasync.bench;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.bench.Workload.Semantics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * sqlite-async driven by a non-blocking {@link CompletableFuture} chain; SOURCE is read with
 * {@link AsyncConnection#stream}, {@code prefetch} rows per round trip.
 *
 * <ul>
 *   <li>{@code cf-chain}: default options. Futures complete on the worker, so the chain's stages run there, and
 *       every call they make runs inline (the re-entrancy rule): after the first hop the whole loop runs on the
 *       worker with no hand-off. The caller clock is therefore the worker's.</li>
 *   <li>{@code cf-loop}: {@code completionExecutor} is a single-thread executor standing in for an event loop, so
 *       every call costs two cross-thread hand-offs, exactly like asyncio's {@code call_soon_threadsafe}. The
 *       caller clock is that executor thread's.</li>
 * </ul>
 */
final class ChainDriver implements AioDriver {
    private final boolean eventLoop;

    /**
     * @param eventLoop {@code true} for {@code cf-loop}, {@code false} for {@code cf-chain}
     */
    ChainDriver(boolean eventLoop) {
        this.eventLoop = eventLoop;
    }

    @Override
    public String library() {
        return "sqlite-async";
    }

    @Override
    public String style() {
        return eventLoop ? "cf-loop" : "cf-chain";
    }

    @Override
    public Sample run(int prefetch, Semantics semantics, long target) throws Exception {
        ExecutorService loop = eventLoop
                ? Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-event-loop")) : null;
        try {
            ConnectionOptions options = ConnectionOptions.builder(":memory:").prefetch(prefetch)
                    .completionExecutor(loop).build();
            try (AsyncConnection c = AsyncConnection.open(options).join()) {
                Thread worker = WorkerThreads.of(c);
                Thread caller = loop == null ? worker : loop.submit(Thread::currentThread).get();
                AtomicLong count = new AtomicLong();
                Meter meter = new Meter(CallerClock.of(caller), worker);
                CompletableFuture<Void> run = loop == null
                        ? chain(c, semantics, target, count)
                        : CompletableFuture.supplyAsync(() -> chain(c, semantics, target, count), loop)
                                .thenCompose(f -> f);
                run.join();
                return meter.stop(count.get());
            }
        } finally {
            if (loop != null) {
                loop.shutdown();
            }
        }
    }

    private static CompletableFuture<Void> chain(AsyncConnection c, Semantics semantics, long target,
            AtomicLong count) {
        return c.executeScript(Workload.SETUP).thenCompose(v -> AsyncLoop.whileTrue(
                () -> c.fetchAll(Workload.COUNT).thenCompose(rows -> {
                    long n = rows.get(0).getLong(0);
                    if (n > target) {
                        count.set(n);
                        return CompletableFuture.completedFuture(false);
                    }
                    List<Object[]> data = new ArrayList<>();
                    return RowCollector.collect(c.stream(Workload.SOURCE), data)
                            .thenCompose(x -> c.executeMany(Workload.INSERT, data, semantics.mode))
                            .thenApply(r -> true);
                })));
    }
}
