package io.sqliteasync.bench;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.BlockingConnection;
import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.Row;
import io.sqliteasync.bench.Workload.Semantics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * sqlite-async driven by one virtual thread through {@link AsyncConnection#blocking()}; SOURCE is read with
 * {@link BlockingConnection#stream}, which fetches {@code prefetch} rows per round trip. The caller CPU is the summed
 * CPU of the virtual-thread carriers (see {@link Cpu#carriers}), read by the launching thread before the virtual
 * thread starts and after it ends.
 */
final class VirtualBlockingDriver implements AioDriver {
    @Override
    public String library() {
        return "sqlite-async";
    }

    @Override
    public String style() {
        return "vthread-blocking";
    }

    @Override
    public Sample run(int prefetch, Semantics semantics, long target) throws Exception {
        ConnectionOptions options = ConnectionOptions.builder(":memory:").prefetch(prefetch).build();
        try (AsyncConnection c = AsyncConnection.open(options).join()) {
            BlockingConnection b = c.blocking();
            AtomicLong count = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Meter meter = new Meter(CallerClock.carriers(), WorkerThreads.of(c));
            Thread t = Thread.ofVirtual().name("bench-caller").start(() -> {
                try {
                    count.set(loop(b, semantics, target));
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.join();
            Sample s = meter.stop(count.get());
            if (failure.get() != null) {
                throw new IllegalStateException("the virtual-thread run failed", failure.get());
            }
            return s;
        }
    }

    private static long loop(BlockingConnection b, Semantics semantics, long target) {
        b.executeScript(Workload.SETUP);
        for (;;) {
            long count = b.fetchAll(Workload.COUNT).get(0).getLong(0);
            if (count > target) {
                return count;
            }
            List<Object[]> data = new ArrayList<>();
            try (Stream<Row> rows = b.stream(Workload.SOURCE)) {
                rows.forEach(r -> data.add(Workload.values(r)));
            }
            b.executeMany(Workload.INSERT, data, semantics.mode);
        }
    }
}
