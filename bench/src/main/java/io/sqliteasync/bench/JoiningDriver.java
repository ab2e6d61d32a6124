package io.sqliteasync.bench;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.Cursor;
import io.sqliteasync.Row;
import io.sqliteasync.bench.Workload.Semantics;
import java.util.ArrayList;
import java.util.List;

/**
 * sqlite-async driven by one platform thread (the benchmark's own) that makes each call and joins its future: the
 * threading model of the original (one caller, one worker, two hand-offs per call), with the caller waiting in
 * {@code join()} instead of an event loop. SOURCE is read through a {@link Cursor} with {@code fetchMany(prefetch)}
 * until a short batch.
 */
final class JoiningDriver implements AioDriver {
    @Override
    public String library() {
        return "sqlite-async";
    }

    @Override
    public String style() {
        return "platform-join";
    }

    @Override
    public Sample run(int prefetch, Semantics semantics, long target) {
        ConnectionOptions options = ConnectionOptions.builder(":memory:").prefetch(prefetch).build();
        try (AsyncConnection c = AsyncConnection.open(options).join()) {
            Meter meter = new Meter(CallerClock.of(Thread.currentThread()), WorkerThreads.of(c));
            c.executeScript(Workload.SETUP).join();
            long count;
            for (;;) {
                count = c.fetchAll(Workload.COUNT).join().get(0).getLong(0);
                if (count > target) {
                    break;
                }
                List<Object[]> data = new ArrayList<>();
                Cursor cursor = c.cursor(Workload.SOURCE).join();
                // A batch shorter than asked means the worker saw the end and already reset the statement, so the
                // cursor needs no close command.
                List<Row> batch;
                do {
                    batch = cursor.fetchMany(prefetch).join();
                    for (Row r : batch) {
                        data.add(Workload.values(r));
                    }
                } while (batch.size() == prefetch);
                c.executeMany(Workload.INSERT, data, semantics.mode).join();
            }
            return meter.stop(count);
        }
    }
}
