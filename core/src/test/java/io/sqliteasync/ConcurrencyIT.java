package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many callers on one connection: order per caller, every future completed, re-entrant calls. */
class ConcurrencyIT {
    @TempDir
    Path dir;

    @Test
    void thousandCallersEachSeeTheirOwnSubmissionOrder() throws Exception {
        int callers = 1000;
        int perCaller = 20;
        // synchronous=OFF: this test is about ordering, not durability, and 20,000 fsyncs would dominate it.
        try (AsyncConnection db = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("c.db").toString())
                .pragma("synchronous", "OFF").build()).join()) {
            db.execute("CREATE TABLE log(seq INTEGER PRIMARY KEY AUTOINCREMENT, caller INTEGER, n INTEGER)").join();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<?>> all = java.util.Collections.synchronizedList(new ArrayList<>());
            List<java.util.concurrent.Future<?>> submitted = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                submitted.add(pool.submit(() -> {
                    start.await();
                    // Submitted back to back without waiting: the queue alone must keep them in order.
                    for (int n = 0; n < perCaller; n++) {
                        all.add(db.execute("INSERT INTO log(caller, n) VALUES (?, ?)", caller, n));
                    }
                    all.add(db.fetchOne("SELECT count(*) FROM log WHERE caller = ?", caller)
                            .thenAccept(r -> assertThat(r.getLong(0)).isEqualTo(perCaller)));
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> f : submitted) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(all).hasSize(callers * (perCaller + 1)).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());

            assertThat(db.fetchOne("SELECT count(*) FROM log").join().getLong(0)).isEqualTo((long) callers * perCaller);
            // For each caller, insertion order (seq) must match its own numbering n.
            long outOfOrder = db.fetchOne("SELECT count(*) FROM log a JOIN log b ON a.caller = b.caller "
                    + "AND a.seq < b.seq AND a.n > b.n").join().getLong(0);
            assertThat(outOfOrder).isZero();
        }
    }

    @Test
    void continuationCallingItsOwnConnectionRunsInlineWithoutDeadlock() {
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("r.db").toString()).join()) {
            db.execute("CREATE TABLE t(x)").join();
            CompletableFuture<Object> gate = new CompletableFuture<>();
            // The chain runs on the worker thread; each nested call must run inline and a join() inside must not hang.
            CompletableFuture<Long> chain = db.run(conn -> gate.join())
                    .thenCompose(x -> db.execute("INSERT INTO t VALUES (1)"))
                    .thenApply(r -> {
                        db.execute("INSERT INTO t VALUES (2)").join();
                        return db.fetchOne("SELECT count(*) FROM t").join().getLong(0);
                    });
            gate.complete("go");
            assertThat(chain.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(2L);
        }
    }

    @Test
    void runBlockCallingItsOwnConnectionRunsInline() {
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("run.db").toString()).join()) {
            db.execute("CREATE TABLE t(x)").join();
            long n = db.run(conn -> {
                db.blocking().execute("INSERT INTO t VALUES (1)");
                db.execute("INSERT INTO t VALUES (2)").join();
                try (BlockingCursor c = db.blocking().cursor("SELECT x FROM t ORDER BY x")) {
                    return c.fetchAll().stream().mapToLong(r -> r.getLong(0)).sum();
                }
            }).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(n).isEqualTo(3);
        }
    }

    @Test
    void cancelledQueuedCommandNeverRuns() {
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("x.db").toString()).join()) {
            db.execute("CREATE TABLE t(x)").join();
            CompletableFuture<Object> gate = new CompletableFuture<>();
            CompletableFuture<Object> blocker = db.run(conn -> gate.join());
            CompletableFuture<ExecuteResult> queued = db.execute("INSERT INTO t VALUES (1)");
            assertThat(queued.cancel(false)).isTrue();
            gate.complete("go");
            blocker.join();
            assertThat(db.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isZero();
        }
    }

    @Test
    void connectionsDoNotLeakThreads() {
        long before = workerThreads();
        for (int i = 0; i < 20; i++) {
            AsyncConnection db = AsyncConnection.open(dir.resolve("leak" + i + ".db").toString()).join();
            db.execute("CREATE TABLE t(x)").join();
            db.close();
        }
        assertThat(waitForWorkers(before)).isLessThanOrEqualTo(before);
    }

    static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("sqlite-async-") && t.isAlive()).count();
    }

    static long waitForWorkers(long atMost) {
        // Closed workers end soon after close completes; the bound only catches a thread that never ends.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long n;
        while ((n = workerThreads()) > atMost && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return n;
    }
}
