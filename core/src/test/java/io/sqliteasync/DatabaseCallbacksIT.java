package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Callbacks, cancellation, deadlines and context through the {@link Database} pool. */
class DatabaseCallbacksIT {
    static final ThreadLocal<String> USER = new ThreadLocal<>();

    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseOptions.builder(dir.resolve("db.db").toString()).readers(2).build()).join();
        db.execute("CREATE TABLE t(x)").join();
        db.execute("INSERT INTO t VALUES (1), (2), (3)").join();
        ContextPropagation.register(USER);
    }

    @AfterEach
    void close() {
        ContextPropagation.unregister(USER);
        USER.remove();
        db.close();
    }

    @Test
    void functionRegisteredOnTheDatabaseWorksOnTheWriterAndEveryReader() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        db.createFunction("tag", 1, args -> {
            threads.add(Thread.currentThread().getName());
            return "t" + args[0];
        }).join();
        List<CompletableFuture<List<Row>>> reads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            reads.add(db.fetchAll("SELECT tag(x) FROM t ORDER BY x"));
        }
        for (CompletableFuture<List<Row>> r : reads) {
            assertThat(r.join()).extracting(row -> row.getString(0)).containsExactly("t1", "t2", "t3");
        }
        db.execute("UPDATE t SET x = x WHERE tag(x) = 't1'").join();
        assertThat(threads).anyMatch(t -> t.contains("writer")).anyMatch(t -> t.contains("reader"));
    }

    @Test
    void cancellingARunningPooledQueryStopsIt() throws Exception {
        CompletableFuture<Void> running = new CompletableFuture<>();
        db.createFunction("started", 0, args -> {
            running.complete(null);
            return 1;
        }).join();
        CompletableFuture<Row> q = db.fetchOne(CancellationIT.ENDLESS_ANNOUNCED);
        running.get(5, TimeUnit.SECONDS);
        q.cancel(true);
        // Both readers must be usable again at once.
        CompletableFuture<Row> a = db.fetchOne("SELECT count(*) FROM t");
        CompletableFuture<Row> b = db.fetchOne("SELECT count(*) FROM t");
        assertThat(a.get(2, TimeUnit.SECONDS).getLong(0)).isEqualTo(3);
        assertThat(b.get(2, TimeUnit.SECONDS).getLong(0)).isEqualTo(3);
    }

    @Test
    void deadlineCoversPooledCalls() {
        assertThatThrownBy(() -> Deadline.within(Duration.ofMillis(100), () -> db.fetchOne(CancellationIT.ENDLESS))
                .join()).hasCauseInstanceOf(SqliteTimeoutException.class);
        assertThat(db.fetchOne("SELECT 1").join().getLong(0)).isEqualTo(1);
    }

    @Test
    void callerContextReachesPooledCallsAndTransactions() {
        USER.set("ada");
        CompletableFuture<String> read = db.read(snap -> snap.fetchOne("SELECT 1")
                .thenApply(r -> USER.get()));
        CompletableFuture<String> viaPool = db.fetchOne("SELECT 1").thenApply(r -> "x");
        CompletableFuture<String> inTx = db.transaction(tx -> CompletableFuture.completedFuture(USER.get()));
        USER.remove();
        assertThat(read.join()).isEqualTo("ada");
        assertThat(viaPool.join()).isEqualTo("x");
        assertThat(inTx.join()).isEqualTo("ada");
    }

    record Item(long x, String label) {
    }

    @Test
    void rowsMapToRecordsThroughThePool() {
        List<Item> items = db.fetchAll("SELECT x, 'n' || x AS label FROM t ORDER BY x", Item.class).join();
        assertThat(items).containsExactly(new Item(1, "n1"), new Item(2, "n2"), new Item(3, "n3"));
        assertThat(db.fetchOne("SELECT x, 'one' AS label FROM t WHERE x = :x", Item.class, java.util.Map.of("x", 1))
                .join()).isEqualTo(new Item(1, "one"));
        assertThat(db.fetchOne("SELECT max(x) FROM t", Long.class).join()).isEqualTo(3L);
    }

    /** A stage that completes just after the transaction timed out must not commit: the timeout already won. */
    @Test
    void aCommitRacingWithTheTransactionTimeoutNeverCommits() {
        for (int round = 0; round < 20; round++) {
            try (Database d = Database.open(DatabaseOptions.builder(dir.resolve("race" + round + ".db").toString())
                    .readers(1).transactionTimeout(Duration.ofMillis(20)).build()).join()) {
                d.execute("CREATE TABLE r(x)").join();
                CompletableFuture<Void> release = new CompletableFuture<>();
                CompletableFuture<Void> tx = d.transaction(t -> t.execute("INSERT INTO r VALUES (1)")
                        .thenCompose(x -> release));
                while (d.stats().transactionTimeouts() == 0) {
                    Thread.onSpinWait();
                }
                release.complete(null);
                assertThatThrownBy(tx::join).hasCauseInstanceOf(SqliteTimeoutException.class);
                assertThat(d.fetchOne("SELECT count(*) FROM r").join().getLong(0)).isZero();
            }
        }
    }

    /**
     * A write stopped inside a transaction makes SQLite roll the whole transaction back; the handle must then refuse
     * further statements rather than let them commit one by one, and the transaction must fail.
     */
    @Test
    void aWriteStoppedInsideATransactionEndsTheTransaction() throws Exception {
        CompletableFuture<Throwable> stopped = new CompletableFuture<>();
        CompletableFuture<Throwable> later = new CompletableFuture<>();
        CompletableFuture<Object> tx = db.transaction(t -> t.execute("INSERT INTO t VALUES (100)")
                // This continuation runs on the writer thread, so the call runs inline; its deadline stops it.
                .thenCompose(r -> Deadline.within(Duration.ofMillis(100), () -> t.execute("INSERT INTO t "
                        + CancellationIT.ENDLESS.replace("count(*)", "x"))).handle((v, err) -> stopped.complete(err)))
                .thenCompose(x -> t.execute("INSERT INTO t VALUES (101)").handle((v, err) -> {
                    later.complete(err);
                    return (Object) v;
                })));
        assertThat(stopped.get(10, TimeUnit.SECONDS)).isInstanceOf(SqliteTimeoutException.class);
        assertThat(later.get(10, TimeUnit.SECONDS)).isInstanceOf(SqliteException.class)
                .hasMessageContaining("transaction has ended");
        assertThatThrownBy(tx::join).isInstanceOf(java.util.concurrent.CompletionException.class);
        assertThat(db.fetchOne("SELECT count(*) FROM t WHERE x >= 100").join().getLong(0)).isZero();
        assertThat(db.execute("INSERT INTO t VALUES (102)").join().rowsUpdated()).isEqualTo(1);
    }

    /**
     * A savepoint started from outside the writer thread whose deadline passes while its function still runs on the
     * writer: the caller must learn the real outcome, so a reported failure means nothing was kept.
     */
    @Test
    void aSavepointWhoseDeadlinePassesWhileItsFunctionRunsReportsTheRealOutcome() throws Exception {
        CompletableFuture<Object> outerRelease = new CompletableFuture<>();
        CompletableFuture<Transaction> handle = new CompletableFuture<>();
        CompletableFuture<Object> outer = db.transaction(tx -> {
            handle.complete(tx);
            return outerRelease;
        });
        Transaction tx = handle.get(5, TimeUnit.SECONDS);
        CompletableFuture<ExecuteResult> nested = Deadline.within(Duration.ofMillis(50), () -> tx.transaction(t2 -> {
            CompletableFuture<ExecuteResult> insert = t2.execute("INSERT INTO t VALUES (7)");
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return insert;
        }));
        Throwable nestedFailure = org.assertj.core.api.Assertions.catchThrowable(nested::join);
        outerRelease.complete("done");
        outer.join();
        long kept = db.fetchOne("SELECT count(*) FROM t WHERE x = 7").join().getLong(0);
        assertThat(kept).as("savepoint outcome %s", nestedFailure).isEqualTo(nestedFailure == null ? 1 : 0);
    }
}
