package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many concurrent writers doing read-modify-write transactions against readers checking an invariant. Bounded for
 * CI: 32 writers x 500 transactions by default ({@code -Dstress.transactions=N} changes the per-writer count).
 */
@Tag("stress")
class DatabaseStressIT {
    private static final int WRITERS = 32;
    private static final int READERS = 16;
    private static final int TRANSACTIONS = Integer.getInteger("stress.transactions", 500);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void concurrentWritersNeverSeeLockedAndReadersAlwaysSeeAConsistentState() throws Exception {
        try (Database db = await(Database.open(DatabaseOptions.builder(dir.resolve("s.db").toString())
                .readers(2).build()))) {
            await(db.executeScript("CREATE TABLE counter(n INTEGER NOT NULL);"
                    + "INSERT INTO counter VALUES (0);"
                    + "CREATE TABLE items(seq INTEGER PRIMARY KEY, writer INTEGER NOT NULL, payload TEXT);"));
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(new Thread(() -> {
                    awaitStart(start);
                    for (int i = 0; i < TRANSACTIONS; i++) {
                        String payload = "w" + writer + "-" + i;
                        try {
                            db.transaction(tx -> tx.fetchOne("SELECT n FROM counter").thenCompose(r -> {
                                long n = r.getLong(0);
                                return tx.execute("INSERT INTO items(seq, writer, payload) VALUES (?, ?, ?)", n + 1,
                                        writer, payload)
                                        .thenCompose(x -> tx.execute("UPDATE counter SET n = ?", n + 1));
                            })).get(60, TimeUnit.SECONDS);
                        } catch (Throwable t) {
                            errors.add(t);
                        }
                    }
                }, "stress-writer-" + w));
            }
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                boolean snapshot = r % 2 == 0;
                readers.add(new Thread(() -> {
                    awaitStart(start);
                    do {
                        try {
                            long[] seen = snapshot
                                    ? db.read(s -> s.fetchOne("SELECT n FROM counter").thenCompose(c -> s.fetchOne(
                                            "SELECT count(*), coalesce(max(seq), 0) FROM items").thenApply(i ->
                                                    new long[] {c.getLong(0), i.getLong(0), i.getLong(1)})))
                                            .get(60, TimeUnit.SECONDS)
                                    : db.fetchOne("SELECT (SELECT n FROM counter), count(*), coalesce(max(seq), 0)"
                                            + " FROM items").thenApply(x -> new long[] {x.getLong(0), x.getLong(1),
                                                x.getLong(2)}).get(60, TimeUnit.SECONDS);
                            if (seen[0] != seen[1] || seen[1] != seen[2]) {
                                errors.add(new AssertionError("inconsistent read: counter " + seen[0] + ", rows "
                                        + seen[1] + ", max seq " + seen[2]));
                            }
                            reads.incrementAndGet();
                        } catch (Throwable t) {
                            errors.add(t);
                        }
                    } while (writing.get());
                }, "stress-reader-" + r));
            }
            writers.forEach(Thread::start);
            readers.forEach(Thread::start);
            long t0 = System.nanoTime();
            start.countDown();
            for (Thread t : writers) {
                t.join();
            }
            writing.set(false);
            for (Thread t : readers) {
                t.join();
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("stress: %d transactions, %d reads in %d ms; %s%n", WRITERS * TRANSACTIONS,
                    reads.get(), ms, db.stats());
            assertThat(errors).isEmpty();
            long expected = (long) WRITERS * TRANSACTIONS;
            Row end = await(db.fetchOne("SELECT (SELECT n FROM counter), count(*), count(DISTINCT payload),"
                    + " min(seq), max(seq) FROM items"));
            assertThat(end.getLong(0)).isEqualTo(expected);
            assertThat(end.getLong(1)).isEqualTo(expected);
            assertThat(end.getLong(2)).isEqualTo(expected);
            assertThat(end.getLong(3)).isEqualTo(1);
            assertThat(end.getLong(4)).isEqualTo(expected);
            for (int w = 0; w < WRITERS; w++) {
                assertThat(await(db.fetchOne("SELECT count(*) FROM items WHERE writer = ?", w)).getLong(0))
                        .as("rows of writer %d", w).isEqualTo(TRANSACTIONS);
            }
            assertThat(reads.get()).isGreaterThan(READERS);
            DatabaseStats stats = db.stats();
            assertThat(stats.acquireTimeouts()).isZero();
            assertThat(stats.transactionTimeouts()).isZero();
            assertThat(stats.writerQueueLength()).isZero();
            assertThat(stats.readersBusy()).isZero();
        }
    }

    private static void awaitStart(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
