package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Back-pressure and cancellation of {@link AsyncConnection#stream}. */
class StreamIT {
    @TempDir
    Path dir;

    /**
     * A SQL function counts every row SQLite steps; the subscriber checks on each row that SQLite never ran more than
     * one prefetch batch ahead of the demand it signalled. It requests one row at a time from another thread, which
     * is as slow as a subscriber gets in what it asks for.
     */
    @Test
    void millionRowsToASlowSubscriberNeverStepMoreThanPrefetchAhead() throws Exception {
        int prefetch = 64;
        long total = 1_000_000;
        AtomicLong stepped = new AtomicLong();
        try (AsyncConnection db = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("s.db").toString())
                .prefetch(prefetch).build()).join()) {
            db.run(conn -> {
                org.sqlite.Function.create(conn, "stepped", new org.sqlite.Function() {
                    @Override
                    protected void xFunc() throws java.sql.SQLException {
                        result(stepped.incrementAndGet());
                    }
                });
                return null;
            }).join();
            ExecutorService requester = Executors.newSingleThreadExecutor();
            AtomicLong requested = new AtomicLong();
            AtomicLong received = new AtomicLong();
            AtomicLong worstAhead = new AtomicLong();
            CompletableFuture<Void> done = new CompletableFuture<>();
            db.stream("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) "
                    + "SELECT x, stepped() FROM c", total).subscribe(new Flow.Subscriber<>() {
                        private Flow.Subscription s;

                        public void onSubscribe(Flow.Subscription s) {
                            this.s = s;
                            requested.incrementAndGet();
                            s.request(1);
                        }

                        public void onNext(Row row) {
                            long n = received.incrementAndGet();
                            if (row.getLong(0) != n) {
                                done.completeExceptionally(new AssertionError("row " + n + " was " + row.getLong(0)));
                            }
                            long ahead = stepped.get() - requested.get();
                            worstAhead.accumulateAndGet(ahead, Math::max);
                            requester.execute(() -> {
                                requested.incrementAndGet();
                                s.request(1);
                            });
                        }

                        public void onError(Throwable t) {
                            done.completeExceptionally(t);
                        }

                        public void onComplete() {
                            done.complete(null);
                        }
                    });
            done.get(120, TimeUnit.SECONDS);
            requester.shutdown();
            assertThat(received.get()).isEqualTo(total);
            assertThat(stepped.get()).isEqualTo(total);
            assertThat(worstAhead.get()).isLessThanOrEqualTo(prefetch).isPositive();
        }
    }

    @Test
    void cancellingASubscriptionResetsTheStatement() throws Exception {
        try (AsyncConnection db = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("c.db").toString())
                .prefetch(16).build()).join()) {
            db.execute("CREATE TABLE big(x)").join();
            db.execute("INSERT INTO big WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000)"
                    + " SELECT x FROM c").join();
            for (int round = 0; round < 20; round++) {
                CompletableFuture<Flow.Subscription> gotRows = new CompletableFuture<>();
                AtomicLong seen = new AtomicLong();
                db.stream("SELECT x FROM big").subscribe(new Flow.Subscriber<>() {
                    private Flow.Subscription s;

                    public void onSubscribe(Flow.Subscription s) {
                        this.s = s;
                        s.request(40);
                    }

                    public void onNext(Row item) {
                        if (seen.incrementAndGet() == 20) {
                            gotRows.complete(s);
                        }
                    }

                    public void onError(Throwable t) {
                        gotRows.completeExceptionally(t);
                    }

                    public void onComplete() {
                        gotRows.completeExceptionally(new AssertionError("completed before cancel"));
                    }
                });
                Flow.Subscription s = gotRows.get(10, TimeUnit.SECONDS);
                s.cancel();
                // DROP TABLE fails with SQLITE_LOCKED while any statement on the connection is still stepping.
                db.execute("DROP TABLE big").join();
                db.execute("CREATE TABLE big(x)").join();
                db.execute("INSERT INTO big WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                        + "WHERE x < 10000) SELECT x FROM c").join();
            }
        }
    }

    @Test
    void cancellingFromOnNextOnTheWorkerStopsAtOnce() throws Exception {
        try (AsyncConnection db = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("w.db").toString())
                .prefetch(8).build()).join()) {
            db.execute("CREATE TABLE big(x)").join();
            db.execute("INSERT INTO big WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000)"
                    + " SELECT x FROM c").join();
            AtomicLong seen = new AtomicLong();
            CompletableFuture<Void> cancelled = new CompletableFuture<>();
            db.stream("SELECT x FROM big").subscribe(new Flow.Subscriber<>() {
                private Flow.Subscription s;

                public void onSubscribe(Flow.Subscription s) {
                    this.s = s;
                    s.request(Long.MAX_VALUE);
                }

                public void onNext(Row item) {
                    if (seen.incrementAndGet() == 5) {
                        s.cancel();
                        cancelled.complete(null);
                    }
                }

                public void onError(Throwable t) {
                    cancelled.completeExceptionally(t);
                }

                public void onComplete() {
                    cancelled.completeExceptionally(new AssertionError("completed after cancel"));
                }
            });
            cancelled.get(10, TimeUnit.SECONDS);
            db.execute("DROP TABLE big").join();
            assertThat(seen.get()).isEqualTo(5);
        }
    }

    @Test
    void eachSubscriptionRunsTheQueryAnew() throws Exception {
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("a.db").toString()).join()) {
            db.execute("CREATE TABLE t(x)").join();
            Flow.Publisher<Row> p = db.stream("SELECT x FROM t");
            assertThat(AsyncConnectionIT.collect(p)).isEmpty();
            db.execute("INSERT INTO t VALUES (1), (2)").join();
            assertThat(AsyncConnectionIT.collect(p)).hasSize(2);
        }
    }

    /**
     * A query that fails mid-stream while demand arrives from another thread must report its own error, with every
     * row before it delivered once: a fetch started on the failed cursor would report "cursor is closed" instead.
     */
    @Test
    void aFailureMidStreamIsReportedAsItselfUnderConcurrentDemand() throws Exception {
        try (AsyncConnection db = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("f.db").toString())
                .prefetch(8).build()).join()) {
            db.createFunction("boom", 1, args -> {
                if ((Long) args[0] == 50) {
                    throw new IllegalStateException("boom at 50");
                }
                return args[0];
            }).join();
            ExecutorService requester = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 200; round++) {
                    AtomicLong received = new AtomicLong();
                    CompletableFuture<Throwable> error = new CompletableFuture<>();
                    db.stream("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100) "
                            + "SELECT boom(x) FROM c").subscribe(new Flow.Subscriber<>() {
                                private Flow.Subscription s;

                                public void onSubscribe(Flow.Subscription s) {
                                    this.s = s;
                                    s.request(1);
                                }

                                public void onNext(Row row) {
                                    if (row.getLong(0) != received.incrementAndGet()) {
                                        error.completeExceptionally(new AssertionError("row out of order: " + row));
                                    }
                                    requester.execute(() -> s.request(1));
                                    requester.execute(() -> s.request(1));
                                }

                                public void onError(Throwable t) {
                                    error.complete(t);
                                }

                                public void onComplete() {
                                    error.completeExceptionally(new AssertionError("completed without the failure"));
                                }
                            });
                    Throwable t = error.get(10, TimeUnit.SECONDS);
                    assertThat(t).isInstanceOf(SqliteException.class).hasMessageContaining("boom at 50");
                    assertThat(received.get()).isLessThan(50);
                }
            } finally {
                requester.shutdown();
            }
        }
    }
}
