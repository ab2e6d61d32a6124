package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.count;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write through the {@link Database} made inside one of its own transactions (instead of through the handle) would
 * wait for the writer that the transaction holds: it fails at once, naming the mistake, and nothing reported as rolled
 * back ever commits.
 */
class WriteInsideOwnTransactionIT {
    @TempDir
    Path dir;

    private Database open(Duration transactionTimeout, ExecutorService completions) {
        DatabaseOptions.Builder b = DatabaseOptions.builder(dir.resolve("db.db").toString()).readers(2)
                .acquireTimeout(Duration.ofSeconds(30)).transactionTimeout(transactionTimeout);
        if (completions != null) {
            b.completionExecutor(completions);
        }
        Database db = await(Database.open(b.build()));
        await(db.executeScript("CREATE TABLE t (v TEXT)"));
        return db;
    }

    @Test
    void everyWriterCallOfTheDatabaseInsideItsTransactionFunctionFailsAtOnce() {
        try (Database db = open(Duration.ofSeconds(60), null)) {
            List<Function<Database, CompletableFuture<?>>> writes = List.of(
                    d -> d.execute("INSERT INTO t VALUES ('x')"),
                    d -> d.executeMany("INSERT INTO t VALUES (?)", List.<Object[]>of(new Object[] {"x"})),
                    d -> d.executeScript("INSERT INTO t VALUES ('x')"),
                    d -> d.transaction(tx -> tx.execute("INSERT INTO t VALUES ('x')")),
                    d -> d.begin(),
                    d -> d.checkpoint());
            for (Function<Database, CompletableFuture<?>> write : writes) {
                Throwable e = failure(db.transaction(tx -> tx.execute("INSERT INTO t VALUES ('in tx')")
                        .thenCompose(r -> write.apply(db))));
                assertThat(e).isInstanceOf(SqliteDeadlockException.class)
                        .hasMessageContaining("inside this database's own transaction");
                Throwable direct = failure(db.transaction(tx -> write.apply(db)));
                assertThat(direct).isInstanceOf(SqliteDeadlockException.class);
            }
            Throwable named = failure(db.transaction(tx -> db.execute("INSERT INTO t VALUES ('x')")));
            assertThat(named).hasMessageContaining("Database.execute").hasMessageContaining("tx.execute");
            assertThat(count(db, "t")).isZero();
            assertThat(db.stats().writerQueueLength()).isZero();
        }
    }

    @Test
    void aWriteFromAStageCompletedByTheHandleOnTheCompletionExecutorFailsAtOnce() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        // Completions can be held back, so that the test's stage is attached before the handle's call completes: a
        // stage attached to a future that has already completed runs on the attaching thread, outside the transaction.
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> hold =
                new java.util.concurrent.atomic.AtomicReference<>(new java.util.concurrent.CountDownLatch(0));
        ExecutorService completions = new java.util.concurrent.AbstractExecutorService() {
            @Override
            public void execute(Runnable task) {
                java.util.concurrent.CountDownLatch gate = hold.get();
                pool.execute(() -> {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    task.run();
                });
            }

            @Override
            public void shutdown() {
                pool.shutdown();
            }

            @Override
            public List<Runnable> shutdownNow() {
                return pool.shutdownNow();
            }

            @Override
            public boolean isShutdown() {
                return pool.isShutdown();
            }

            @Override
            public boolean isTerminated() {
                return pool.isTerminated();
            }

            @Override
            public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit)
                    throws InterruptedException {
                return pool.awaitTermination(timeout, unit);
            }
        };
        try (Database db = open(Duration.ofSeconds(60), completions)) {
            Throwable e = failure(db.transaction(tx -> tx.fetchOne("SELECT 1")
                    .thenCompose(r -> db.execute("INSERT INTO t VALUES ('x')"))));
            assertThat(e).isInstanceOf(SqliteDeadlockException.class);
            Transaction handle = await(db.begin());
            hold.set(new java.util.concurrent.CountDownLatch(1));
            CompletableFuture<ExecuteResult> stage = handle.execute("INSERT INTO t VALUES ('h')")
                    .thenCompose(r -> db.execute("INSERT INTO t VALUES ('x')"));
            hold.getAndSet(new java.util.concurrent.CountDownLatch(0)).countDown();
            Throwable fromBeginStage = failure(stage);
            assertThat(fromBeginStage).isInstanceOf(SqliteDeadlockException.class);
            await(handle.commit());
            // Once committed, the handle's stages may write through the database again.
            await(handle.rollback().handle((v, x) -> null).thenCompose(x -> db.execute("INSERT INTO t VALUES ('y')")));
            assertThat(await(db.fetchAll("SELECT v FROM t ORDER BY rowid", String.class))).containsExactly("h", "y");
        } finally {
            completions.shutdownNow();
        }
    }

    @Test
    void aWriteThroughTheBlockingDatabaseInsideItsBlockingTransactionFailsAtOnce() {
        try (Database db = open(Duration.ofSeconds(60), null)) {
            BlockingDatabase b = db.blocking();
            Throwable e = failure(CompletableFuture.runAsync(() -> b.transaction(tx -> {
                tx.execute("INSERT INTO t VALUES ('in tx')");
                return b.execute("INSERT INTO t VALUES ('x')");
            })));
            assertThat(e).isInstanceOf(SqliteDeadlockException.class).hasMessageContaining("Database.execute");
            assertThat(count(db, "t")).isZero();
        }
    }

    @Test
    void readsThroughTheDatabaseInsideItsTransactionStayAllowed() {
        try (Database db = open(Duration.ofSeconds(60), null)) {
            await(db.execute("INSERT INTO t VALUES ('committed')"));
            long seen = await(db.transaction(tx -> tx.execute("INSERT INTO t VALUES ('mine')")
                    .thenCompose(r -> db.fetchOne("SELECT count(*) FROM t"))
                    .thenApply(r -> r.getLong(0))));
            assertThat(seen).isEqualTo(1);
            assertThat(count(db, "t")).isEqualTo(2);
        }
    }

    @Test
    void aTransactionRolledBackByItsTimeoutNeverCommitsAWriteMadeInsideIt() {
        // Shorter than the acquire timeout: a write queued for the writer would run after the rollback.
        try (Database db = open(Duration.ofMillis(300), null)) {
            CompletableFuture<ExecuteResult> inner = new CompletableFuture<>();
            Throwable e = failure(db.transaction(tx -> tx.execute("INSERT INTO t VALUES ('tx')").thenCompose(r -> {
                db.execute("INSERT INTO t VALUES ('through db')").whenComplete((v, x) -> {
                    if (x != null) {
                        inner.completeExceptionally(x);
                    } else {
                        inner.complete(v);
                    }
                });
                return new CompletableFuture<Void>();   // never completes: the timeout rolls back
            })));
            assertThat(e).isInstanceOf(SqliteTimeoutException.class).hasMessageContaining("rolled back");
            assertThat(failure(inner)).isInstanceOf(SqliteDeadlockException.class);
            await(db.execute("INSERT INTO t VALUES ('after')"));
            assertThat(await(db.fetchAll("SELECT v FROM t", String.class))).containsExactly("after");
        }
    }
}
