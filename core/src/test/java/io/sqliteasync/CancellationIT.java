package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancellation and deadlines stop SQLite and leave the connection usable. */
class CancellationIT {
    /** A query that runs for many seconds unless stopped. */
    static final String ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000)"
            + " SELECT count(*) FROM c";
    /** The same query, announcing through {@code started()} that SQLite has begun stepping it. */
    static final String ENDLESS_ANNOUNCED = ENDLESS.replace("(SELECT 1 UNION", "(SELECT started() UNION");

    @TempDir
    Path dir;
    AsyncConnection db;
    /** Completed by {@code started()} once a query is running on the worker. */
    volatile CompletableFuture<Void> running = new CompletableFuture<>();

    @BeforeEach
    void open() {
        db = AsyncConnection.open(dir.resolve("c.db").toString()).join();
        db.execute("CREATE TABLE t(x)").join();
        db.createFunction("started", 0, args -> {
            running.complete(null);
            return 1;
        }).join();
    }

    @AfterEach
    void close() {
        assertThat(db.fetchOne("SELECT 41 + 1").join().getLong(0)).isEqualTo(42);
        db.close();
    }

    @Test
    void cancellingARunningQueryStopsSqliteQuickly() throws Exception {
        // Quickly counted in SQLite's own work, not in milliseconds: tick() runs once per row SQLite steps.
        AtomicLong ticks = new AtomicLong();
        db.createFunction("tick", 1, args -> {
            ticks.incrementAndGet();
            return args[0];
        }).join();
        CompletableFuture<Row> query = db.fetchOne(ENDLESS_ANNOUNCED.replace("SELECT x + 1", "SELECT tick(x) + 1"));
        waitUntilRunning();
        query.cancel(true);
        long atCancel = ticks.get();
        // The query is endless: the worker runs the next call only if SQLite was stopped (the bound catches a hang).
        db.fetchOne("SELECT 1").get(60, TimeUnit.SECONDS);
        // The progress handler sees the cancel within progressSteps VM instructions; every row takes several.
        assertThat(ticks.get() - atCancel).isLessThanOrEqualTo(ConnectionOptions.DEFAULT_PROGRESS_STEPS);
        assertThat(query).isCancelled();
    }

    @Test
    void cancellingAQueuedCommandRemovesIt() {
        CompletableFuture<Row> endless = db.fetchOne(ENDLESS);
        CompletableFuture<ExecuteResult> queued = db.execute("INSERT INTO t VALUES (1)");
        queued.cancel(false);
        endless.cancel(false);
        assertThat(db.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isZero();
    }

    @Test
    void orTimeoutOnTheFutureStopsSqliteToo() throws Exception {
        assertThatThrownBy(() -> db.fetchOne(ENDLESS).orTimeout(100, TimeUnit.MILLISECONDS).join())
                .hasCauseInstanceOf(TimeoutException.class);
        // Had SQLite not been stopped, the endless query would hold the worker and this call would never run.
        assertThat(db.fetchOne("SELECT 1").get(60, TimeUnit.SECONDS).getLong(0)).isEqualTo(1);
    }

    @Test
    void cancelledWriteInsideATransactionRollsItBack() throws Exception {
        db.execute("BEGIN").join();
        db.execute("INSERT INTO t VALUES (1)").join();
        CompletableFuture<ExecuteResult> write = db.execute("INSERT INTO t "
                + ENDLESS_ANNOUNCED.replace("count(*)", "x"));
        waitUntilRunning();
        write.cancel(true);
        assertThat(db.isInTransaction().join()).isFalse();
        assertThat(db.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isZero();
    }

    @Test
    void cancelledReadInsideATransactionLeavesItOpen() throws Exception {
        db.execute("BEGIN").join();
        db.execute("INSERT INTO t VALUES (1)").join();
        CompletableFuture<Row> read = db.fetchOne(ENDLESS_ANNOUNCED);
        waitUntilRunning();
        read.cancel(true);
        // Only the read stopped: the transaction and its write are still there for their owner to finish.
        assertThat(db.isInTransaction().join()).isTrue();
        db.commit().join();
        assertThat(db.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isEqualTo(1);
    }

    @Test
    void cancellingAStreamStopsALongStep() throws Exception {
        CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
        CompletableFuture<Object> signal = new CompletableFuture<>();
        // The sort makes SQLite work for a long time before the first row.
        db.stream("WITH RECURSIVE c(x) AS (SELECT started() UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) "
                + "SELECT x FROM c ORDER BY x DESC").subscribe(new Flow.Subscriber<>() {
                    public void onSubscribe(Flow.Subscription s) {
                        subscribed.complete(s);
                        s.request(1);
                    }

                    public void onNext(Row item) {
                        signal.complete("row");
                    }

                    public void onError(Throwable t) {
                        signal.complete(t);
                    }

                    public void onComplete() {
                        signal.complete("complete");
                    }
                });
        Flow.Subscription s = subscribed.get(5, TimeUnit.SECONDS);
        waitUntilRunning();
        s.cancel();
        // The sort of 100 million rows would hold the worker for minutes; the bound only catches a hang.
        db.execute("DROP TABLE t").get(60, TimeUnit.SECONDS);
        assertThat(signal).isNotDone();
        db.execute("CREATE TABLE t(x)").join();
    }

    @Test
    void cancelStormLeavesEveryFutureCompleteAndNoStatementOpen() throws Exception {
        Random random = new Random(42);
        List<CompletableFuture<?>> all = new ArrayList<>();
        List<Flow.Subscription> subscriptions = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            CompletableFuture<?> f;
            switch (random.nextInt(5)) {
                case 0:
                    f = db.execute("INSERT INTO t VALUES (?)", i);
                    break;
                case 1:
                    f = db.fetchAll("SELECT * FROM t");
                    break;
                case 2:
                    f = db.fetchOne("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000)"
                            + " SELECT count(*) FROM c");
                    break;
                case 3:
                    CompletableFuture<Cursor> cursor = db.cursor("SELECT * FROM t");
                    // The close hangs off the cursor future itself; a cancelled open is released by the library.
                    cursor.thenAccept(c -> c.fetchMany(3).whenComplete((r, e) -> c.close()));
                    f = cursor;
                    break;
                default:
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    db.stream("SELECT * FROM t").subscribe(new Flow.Subscriber<>() {
                        public void onSubscribe(Flow.Subscription s) {
                            synchronized (subscriptions) {
                                subscriptions.add(s);
                            }
                            s.request(2);
                        }

                        public void onNext(Row item) {
                        }

                        public void onError(Throwable t) {
                            done.completeExceptionally(t);
                        }

                        public void onComplete() {
                            done.complete(null);
                        }
                    });
                    f = done;
            }
            all.add(f);
            if (random.nextInt(3) == 0) {
                all.get(random.nextInt(all.size())).cancel(true);
            }
            if (random.nextInt(10) == 0) {
                synchronized (subscriptions) {
                    if (!subscriptions.isEmpty()) {
                        subscriptions.get(random.nextInt(subscriptions.size())).cancel();
                    }
                }
            }
        }
        synchronized (subscriptions) {
            subscriptions.forEach(Flow.Subscription::cancel);
        }
        for (CompletableFuture<?> f : all) {
            if (f.isDone() || f.getClass() != CompletableFuture.class) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (CancellationException | java.util.concurrent.ExecutionException expected) {
                    // cancelled or failed: either is fine, hanging is not
                }
            }
        }
        CompletableFuture.allOf(all.stream().filter(f -> f.getClass() != CompletableFuture.class)
                .toArray(CompletableFuture[]::new)).handle((r, t) -> null).get(30, TimeUnit.SECONDS);
        assertThat(all.stream().filter(f -> f.getClass() != CompletableFuture.class)).allMatch(CompletableFuture::isDone);
        // No statement may be left stepping: DROP TABLE fails while any is active.
        db.execute("DROP TABLE t").join();
        db.execute("CREATE TABLE t(x)").join();
        assertThat(db.run(conn -> conn.isClosed()).join()).isFalse();
    }

    @Test
    void deadlineReachedWhileQueued() {
        CompletableFuture<Object> gate = new CompletableFuture<>();
        CompletableFuture<Object> blocker = db.run(conn -> gate.join());
        CompletableFuture<ExecuteResult> queued = Deadline.within(Duration.ofMillis(50),
                () -> db.execute("INSERT INTO t VALUES (1)"));
        assertThatThrownBy(() -> queued.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(SqliteTimeoutException.class)
                .hasMessageContaining("deadline");
        // It failed while still queued: the worker is held by the blocker until the gate opens.
        assertThat(blocker).isNotDone();
        gate.complete("go");
        blocker.join();
        assertThat(db.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isZero();
    }

    @Test
    void deadlineReachedWhileExecuting() throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Row> q = Deadline.within(Duration.ofMillis(100), () -> db.fetchOne(ENDLESS));
        assertThatThrownBy(() -> q.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SqliteTimeoutException.class);
        // Not before the deadline (a lower bound only: a slow machine cannot break it).
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(90L);
        // The query is endless: the next call runs only if the deadline stopped SQLite.
        db.fetchOne("SELECT 1").get(60, TimeUnit.SECONDS);
        assertThat(Deadline.remaining()).isNull();
    }

    @Test
    void blockingViewReportsTheTimeoutDirectly() {
        assertThatThrownBy(() -> Deadline.within(Duration.ofMillis(50), () -> db.blocking().fetchOne(ENDLESS)))
                .isInstanceOf(SqliteTimeoutException.class);
    }

    @Test
    void nestedDeadlinesUseTheEarliest() {
        Duration inner = Deadline.within(Duration.ofSeconds(10), () -> Deadline.within(Duration.ofMillis(50),
                Deadline::remaining));
        assertThat(inner).isLessThanOrEqualTo(Duration.ofMillis(50));
        Duration outerWins = Deadline.within(Duration.ofMillis(50), () -> Deadline.within(Duration.ofSeconds(10),
                Deadline::remaining));
        assertThat(outerWins).isLessThanOrEqualTo(Duration.ofMillis(50));
    }

    private void waitUntilRunning() throws Exception {
        running.get(5, TimeUnit.SECONDS);
        running = new CompletableFuture<>();
    }
}
