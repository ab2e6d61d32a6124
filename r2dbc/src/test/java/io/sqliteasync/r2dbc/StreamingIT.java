package io.sqliteasync.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Result;
import io.sqliteasync.DatabaseOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A million rows through a slow subscriber: the driver steps only as demand arrives. SQLite counts each row it
 * steps through {@code tick(x)}, so "rows stepped minus rows delivered" is exactly what the driver holds in memory.
 */
class StreamingIT {
    static final int ROWS = 1_000_000;
    static final int FETCH = 256;
    /** The last publishOn stage buffers this many rows between the worker and the slow subscriber. */
    static final int HANDOFF = 32;
    static final String SQL = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < " + ROWS
            + ") SELECT tick(x) AS x, randomblob(100) AS pad FROM c";

    @TempDir
    Path dir;
    SqliteConnectionFactory factory;
    SqliteConnection connection;
    final AtomicLong stepped = new AtomicLong();
    Scheduler slow;

    @BeforeEach
    void open() {
        // One reader: a query that SQLite kept running would block every later query.
        factory = SqliteConnectionFactory.of(DatabaseOptions.builder(dir.resolve("s.db").toString()).readers(1)
                .build());
        connection = factory.create().block();
        connection.database().createFunction("tick", 1, args -> {
            stepped.incrementAndGet();
            return args[0];
        }).join();
        slow = Schedulers.newSingle("slow-subscriber");
    }

    @AfterEach
    void close() {
        connection.close().block();
        factory.close();
        slow.dispose();
    }

    @Test
    void aMillionRowsToASlowSubscriberKeepMemoryBounded() {
        AtomicLong delivered = new AtomicLong();
        AtomicLong maxAhead = new AtomicLong();
        Runtime rt = Runtime.getRuntime();
        long heapBefore = usedHeapAfterGc();
        long[] heapMid = new long[1];
        long start = System.nanoTime();
        Long last = Flux.from(connection.createStatement(SQL).fetchSize(FETCH).execute())
                .concatMap(r -> r.map((row, md) -> row.get("x", Long.class)))
                .publishOn(slow, HANDOFF)
                .doOnNext(x -> {
                    long d = delivered.incrementAndGet();
                    assertThat(x).isEqualTo(d);
                    maxAhead.accumulateAndGet(stepped.get() - d, Math::max);
                    if (d % 20_000 == 0) {
                        // The slow part: while the subscriber sleeps, SQLite must not step ahead.
                        sleep(10);
                        maxAhead.accumulateAndGet(stepped.get() - d, Math::max);
                    }
                    if (d == ROWS / 2) {
                        heapMid[0] = usedHeapAfterGc();
                    }
                })
                .blockLast(Duration.ofMinutes(3));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(last).isEqualTo(ROWS);
        assertThat(delivered.get()).isEqualTo(ROWS);
        // One batch being consumed, the next stepped ahead, one more finishing: three batches plus the hand-off.
        assertThat(maxAhead.get()).isLessThanOrEqualTo(3L * FETCH + HANDOFF);
        long growth = heapMid[0] - heapBefore;
        // A buffered result would hold ~150 MB here (a million rows of 100-byte blobs); bounded, it holds ~100 KB.
        assertThat(growth).isLessThan(32L << 20);
        System.out.printf("StreamingIT: %d rows in %d ms; at most %d rows stepped ahead of the subscriber"
                + " (bound %d); used heap after GC %d KB before, %d KB mid-stream (max heap %d MB)%n", ROWS, millis,
                maxAhead.get(), 3L * FETCH + HANDOFF, heapBefore >> 10, heapMid[0] >> 10, rt.maxMemory() >> 20);
    }

    @Test
    void cancellingMidStreamStopsSteppingAndLeavesTheConnectionUsable() {
        AtomicLong delivered = new AtomicLong();
        Flux.from(connection.createStatement(SQL).execute())
                .concatMap(r -> r.map((row, md) -> row.get("x", Long.class)))
                .publishOn(slow, HANDOFF)
                .doOnNext(x -> delivered.incrementAndGet())
                .take(ROWS / 2)
                .blockLast(Duration.ofMinutes(3));
        assertThat(delivered.get()).isEqualTo(ROWS / 2);
        long atCancel = stepped.get();
        assertThat(atCancel - ROWS / 2).isLessThanOrEqualTo(3L * connection.prefetch() + HANDOFF);
        // The single reader is free again, and the writer too.
        assertThat(Mono.from(connection.createStatement("SELECT 7").execute())
                .flatMapMany(r -> r.map((row, md) -> row.get(0))).blockLast(Duration.ofSeconds(10))).isEqualTo(7L);
        // The reader ran another statement, so the cancelled one was reset: it stepped nothing after the cancel.
        assertThat(stepped.get()).isEqualTo(atCancel);
        assertThat(Flux.from(connection.createStatement("CREATE TABLE after_cancel (x)").execute())
                .flatMap(Result::getRowsUpdated).blockLast(Duration.ofSeconds(10))).isEqualTo(0L);
        assertThat(Flux.from(connection.createStatement("SELECT count(*) FROM (" + SQL + ")").execute())
                .flatMap(r -> r.map((row, md) -> row.get(0))).blockLast(Duration.ofMinutes(1))).isEqualTo((long) ROWS);
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            sleep(20);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
