package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call that waited for a busy connection and was handed it by the pool stays cancellable: cancelling it stops
 * SQLite, the connection goes back to the pool, and close() finishes.
 */
class PoolHandOffCancellationIT {
    static final String ENDLESS = CancellationIT.ENDLESS;

    @TempDir
    Path dir;

    @RepeatedTest(3)
    void aQueryThatWaitedForTheOnlyReaderStopsWhenCancelled() throws Exception {
        Database db = await(Database.open(DatabaseOptions.builder(dir.resolve("r.db").toString()).readers(1).build()));
        try {
            Hold hold = Hold.register(db);
            CompletableFuture<Row> a = db.fetchOne("SELECT hold()");
            assertThat(hold.entered.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Row> b = db.fetchOne(ENDLESS);
            hold.release.countDown();
            await(a);
            // b now runs on the reader, started by the pool when a released it.
            waitUntil(() -> db.stats().readersBusy() == 1 && db.stats().readerQueueLength() == 0);
            b.cancel(true);
            assertThat(failure(b)).isInstanceOf(java.util.concurrent.CancellationException.class);
            assertThat(await(db.fetchOne("SELECT 42")).getInt(0)).isEqualTo(42);
        } finally {
            db.closeAsync().get(30, TimeUnit.SECONDS);
        }
    }

    @RepeatedTest(3)
    void aWriteThatWaitedForTheWriterStopsWhenCancelled() throws Exception {
        Database db = await(Database.open(dir.resolve("w.db").toString()));
        try {
            await(db.execute("CREATE TABLE t(x)"));
            Hold hold = Hold.register(db);
            CompletableFuture<ExecuteResult> a = db.execute("INSERT INTO t VALUES (hold())");
            assertThat(hold.entered.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<ExecuteResult> b = db.execute("INSERT INTO t " + ENDLESS);
            hold.release.countDown();
            await(a);
            waitUntil(() -> db.stats().writerQueueLength() == 0);
            b.cancel(true);
            assertThat(failure(b)).isInstanceOf(java.util.concurrent.CancellationException.class);
            assertThat(await(db.execute("INSERT INTO t VALUES (2)")).rowsUpdated()).isEqualTo(1);
            assertThat(await(db.fetchOne("SELECT count(*) FROM t")).getLong(0)).isEqualTo(2);
        } finally {
            db.closeAsync().get(30, TimeUnit.SECONDS);
        }
    }

    @RepeatedTest(3)
    void aTransactionThatWaitedForTheWriterRollsBackWhenCancelled() throws Exception {
        Database db = await(Database.open(dir.resolve("tx.db").toString()));
        try {
            await(db.execute("CREATE TABLE t(x)"));
            Hold hold = Hold.register(db);
            CompletableFuture<ExecuteResult> a = db.execute("INSERT INTO t VALUES (hold())");
            assertThat(hold.entered.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Object> b = db.transaction(tx -> tx.execute("INSERT INTO t VALUES (3)")
                    .thenCompose(r -> tx.fetchOne(ENDLESS)).thenApply(r -> (Object) r));
            hold.release.countDown();
            await(a);
            waitUntil(() -> db.stats().writerQueueLength() == 0);
            b.cancel(true);
            assertThat(failure(b)).isInstanceOf(java.util.concurrent.CancellationException.class);
            assertThat(await(db.execute("INSERT INTO t VALUES (2)")).rowsUpdated()).isEqualTo(1);
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY x"))).extracting(r -> r.getLong(0))
                    .containsExactly(1L, 2L);
        } finally {
            db.closeAsync().get(30, TimeUnit.SECONDS);
        }
    }

    @RepeatedTest(3)
    void closeFinishesWithCancelledQueriesQueuedForTheReaders() throws Exception {
        Database db = await(Database.open(DatabaseOptions.builder(dir.resolve("c.db").toString()).readers(2).build()));
        List<CompletableFuture<Row>> endless = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            endless.add(db.fetchOne(ENDLESS));
        }
        for (CompletableFuture<Row> f : endless) {
            f.cancel(true);
        }
        assertThat(await(db.fetchOne("SELECT 7")).getInt(0)).isEqualTo(7);
        db.closeAsync().get(30, TimeUnit.SECONDS);
        assertThat(db.isClosed()).isTrue();
    }

    /** A SQL function {@code hold()} that signals it was entered and then waits until released. */
    record Hold(CountDownLatch entered, CountDownLatch release) {
        static Hold register(Database db) {
            Hold h = new Hold(new CountDownLatch(1), new CountDownLatch(1));
            await(db.createFunction("hold", 0, args -> {
                h.entered.countDown();
                h.release.await(30, TimeUnit.SECONDS);
                return 1;
            }));
            return h;
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("condition not reached within 30 s");
            }
            Thread.sleep(1);   // polls pool statistics, which have no notification to wait on
        }
    }
}
