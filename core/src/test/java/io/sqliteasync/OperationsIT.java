package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** interrupt(), the user progress handler and the connection facts, on a connection and a database. */
class OperationsIT {
    static final String ENDLESS = CancellationIT.ENDLESS;
    static final String ENDLESS_ANNOUNCED = CancellationIT.ENDLESS_ANNOUNCED;
    /** Long enough for many progress ticks, short enough to finish. */
    static final String BOUNDED = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000)"
            + " SELECT count(*) FROM c";

    @TempDir
    Path dir;
    AsyncConnection db;
    /** Completed by {@code started()} once a query is running on the worker. */
    volatile CompletableFuture<Void> running = new CompletableFuture<>();

    @BeforeEach
    void open() {
        db = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("o.db").toString()).progressSteps(1000)
                .build()).join();
        db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, x)").join();
        db.createFunction("started", 0, args -> {
            running.complete(null);
            return 1;
        }).join();
    }

    @AfterEach
    void close() {
        if (!db.isClosed()) {
            assertThat(db.fetchOne("SELECT 41 + 1").join().getLong(0)).isEqualTo(42);
            db.close();
        }
    }

    static SqliteException failure(CompletableFuture<?> f) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(f::join);
        assertThat(t).isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(SqliteException.class);
        return (SqliteException) t.getCause();
    }

    // ------------------------------------------------------------------ interrupt

    @Test
    void interruptStopsTheRunningCallAndTheQueuedCallRunsNext() {
        CompletableFuture<Row> endless = db.fetchOne(ENDLESS_ANNOUNCED);
        CompletableFuture<Row> queued = db.fetchOne("SELECT 7");
        running.join();

        assertThat(db.interrupt()).isTrue();

        assertThat(failure(endless).resultCode()).isEqualTo(SqliteException.SQLITE_INTERRUPT);
        assertThat(queued.join().getLong(0)).isEqualTo(7);
        assertThat(db.fetchOne(BOUNDED).join().getLong(0)).isEqualTo(200000);
    }

    @Test
    void interruptOnAnIdleConnectionLeavesNothingForTheNextCall() {
        db.fetchOne("SELECT 1").join();

        assertThat(db.interrupt()).isFalse();

        assertThat(db.fetchOne(BOUNDED).join().getLong(0)).isEqualTo(200000);
    }

    @Test
    void interruptingAWriteInATransactionLeavesTheConnectionUsable() {
        db.execute("INSERT INTO t(x) VALUES (1)").join();
        CompletableFuture<Integer> tx = db.transaction(t -> t.execute("INSERT INTO t(x) SELECT x FROM ("
                + ENDLESS_ANNOUNCED.replace("SELECT count(*) FROM c", "SELECT x FROM c") + ")")
                .thenApply(r -> 1));
        running.join();

        assertThat(db.interrupt()).isTrue();

        assertThat(failure(tx).resultCode()).isEqualTo(SqliteException.SQLITE_INTERRUPT);
        assertThat(db.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isEqualTo(1);
        assertThat(db.isInTransaction().join()).isFalse();
    }

    @Test
    void blockingInterruptFromAnotherThreadStopsTheBlockedCall() {
        CompletableFuture<Row> blocked = CompletableFuture.supplyAsync(() -> db.blocking().fetchOne(ENDLESS_ANNOUNCED));
        running.join();

        assertThat(db.blocking().interrupt()).isTrue();

        assertThat(failure(blocked).resultCode()).isEqualTo(SqliteException.SQLITE_INTERRUPT);
        assertThat(db.blocking().fetchOne("SELECT 5").getLong(0)).isEqualTo(5);
    }

    @Test
    void databaseInterruptStopsWhatRunsOnEveryConnection() {
        db.close();
        try (Database d = Database.open(DatabaseOptions.builder(dir.resolve("d.db").toString()).readers(2).build())
                .join()) {
            AtomicInteger started = new AtomicInteger();
            CompletableFuture<Void> bothRunning = new CompletableFuture<>();
            d.createFunction("started", 0, args -> {
                if (started.incrementAndGet() == 2) {
                    bothRunning.complete(null);
                }
                return 1;
            }).join();
            d.execute("CREATE TABLE w(x)").join();
            CompletableFuture<Row> read = d.fetchOne(ENDLESS_ANNOUNCED);
            CompletableFuture<ExecuteResult> write = d.execute("INSERT INTO w SELECT x FROM ("
                    + ENDLESS_ANNOUNCED.replace("SELECT count(*) FROM c", "SELECT x FROM c") + ")");
            bothRunning.join();

            assertThat(d.interrupt()).isEqualTo(2);

            assertThat(failure(read).resultCode()).isEqualTo(SqliteException.SQLITE_INTERRUPT);
            assertThat(failure(write).resultCode()).isEqualTo(SqliteException.SQLITE_INTERRUPT);
            assertThat(d.fetchOne("SELECT count(*) FROM w").join().getLong(0)).isZero();
            assertThat(d.blocking().interrupt()).isZero();
            d.blocking().execute("INSERT INTO w VALUES (1)");
            assertThat(d.blocking().fetchOne("SELECT count(*) FROM w").getLong(0)).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ progress handler

    @Test
    void progressHandlerIsCalledDuringALongQuery() {
        AtomicInteger calls = new AtomicInteger();
        db.setProgressHandler(1000, () -> {
            calls.incrementAndGet();
            return false;
        }).join();

        assertThat(db.fetchOne(BOUNDED).join().getLong(0)).isEqualTo(200000);

        assertThat(calls.get()).isGreaterThan(10);
    }

    @Test
    void progressHandlerWithMoreStepsIsCalledLessOften() {
        AtomicInteger often = new AtomicInteger();
        db.setProgressHandler(1000, () -> {
            often.incrementAndGet();
            return false;
        }).join();
        db.fetchOne(BOUNDED).join();
        AtomicInteger seldom = new AtomicInteger();
        db.setProgressHandler(10_000, () -> {
            seldom.incrementAndGet();
            return false;
        }).join();
        db.fetchOne(BOUNDED).join();

        assertThat(seldom.get()).isGreaterThan(0).isLessThan(often.get());
    }

    @Test
    void progressHandlerReturningTrueStopsTheStatement() {
        AtomicInteger calls = new AtomicInteger();
        db.setProgressHandler(1000, () -> calls.incrementAndGet() >= 3).join();

        assertThat(failure(db.fetchOne(ENDLESS)).resultCode()).isEqualTo(SqliteException.SQLITE_INTERRUPT);
        assertThat(calls.get()).isEqualTo(3);

        db.setProgressHandler(1000, null).join();
        assertThat(db.fetchOne(BOUNDED).join().getLong(0)).isEqualTo(200000);
    }

    @Test
    void progressHandlerThatThrowsStopsTheStatementWithItAsTheCause() {
        IllegalStateException boom = new IllegalStateException("boom");
        db.setProgressHandler(1000, () -> {
            throw boom;
        }).join();

        SqliteException e = failure(db.fetchOne(ENDLESS));

        assertThat(e).hasRootCause(boom);
        db.setProgressHandler(1, null).join();
    }

    @Test
    void removedProgressHandlerIsNotCalledAnyMore() {
        AtomicInteger calls = new AtomicInteger();
        db.setProgressHandler(1000, () -> {
            calls.incrementAndGet();
            return false;
        }).join();
        db.setProgressHandler(1000, null).join();

        db.fetchOne(BOUNDED).join();

        assertThat(calls.get()).isZero();
    }

    @Test
    void cancellationStillWorksWhileAProgressHandlerIsSet() {
        CompletableFuture<Void> handlerCalled = new CompletableFuture<>();
        db.setProgressHandler(1000, () -> {
            handlerCalled.complete(null);
            return false;
        }).join();
        CompletableFuture<Row> endless = db.fetchOne(ENDLESS);
        handlerCalled.join();

        endless.cancel(true);

        assertThatThrownBy(endless::join).isInstanceOf(CancellationException.class);
        assertThat(db.fetchOne("SELECT 1").join().getLong(0)).isEqualTo(1);
    }

    @Test
    void progressHandlerWithStepsBelowOneIsRefused() {
        assertThat(failure(db.setProgressHandler(0, () -> false)).getMessage()).contains("steps");
    }

    @Test
    void databaseProgressHandlerRunsOnEveryConnection() {
        db.close();
        try (Database d = Database.open(DatabaseOptions.builder(dir.resolve("d.db").toString()).readers(2).build())
                .join()) {
            java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            d.blocking().setProgressHandler(1, () -> {
                threads.add(Thread.currentThread().getName());
                return false;
            });
            d.blocking().execute("CREATE TABLE w(x)");
            d.blocking().execute("INSERT INTO w SELECT x FROM (" + BOUNDED.replace("SELECT count(*)", "SELECT x")
                    + ")");
            assertThat(d.blocking().fetchOne(BOUNDED).getLong(0)).isEqualTo(200000);

            assertThat(threads).anyMatch(n -> n.contains("writer")).anyMatch(n -> n.contains("reader"));
        }
    }

    // ------------------------------------------------------------------ facts

    @Test
    void connectionFactsFollowTheWrites() {
        assertThat(db.lastInsertRowid().join()).isZero();
        db.execute("INSERT INTO t(x) VALUES (1), (2), (3)").join();

        assertThat(db.changes().join()).isEqualTo(3);
        assertThat(db.lastInsertRowid().join()).isEqualTo(3);
        db.execute("UPDATE t SET x = x + 1 WHERE id < 3").join();
        assertThat(db.changes().join()).isEqualTo(2);
        assertThat(db.totalChanges().join()).isEqualTo(5);
        assertThat(db.blocking().changes()).isEqualTo(2);
        assertThat(db.blocking().totalChanges()).isEqualTo(5);
        assertThat(db.blocking().lastInsertRowid()).isEqualTo(3);
    }

    @Test
    void sqliteVersionIsWhatSqliteSays() {
        String version = db.fetchOne("SELECT sqlite_version()").join().getString(0);

        assertThat(db.sqliteVersion().join()).isEqualTo(version).matches("3\\.\\d+\\.\\d+");
        assertThat(db.blocking().sqliteVersion()).isEqualTo(version);
    }

    @Test
    void compileOptionsAreThoseOfPragmaCompileOptions() {
        java.util.List<String> pragma = db.fetchAll("PRAGMA compile_options").join().stream()
                .map(r -> r.getString(0)).toList();

        assertThat(db.compileOptions().join()).isEqualTo(pragma).isNotEmpty()
                .anyMatch(o -> o.startsWith("THREADSAFE="));
        assertThat(db.blocking().compileOptions()).isEqualTo(pragma);
    }

    @Test
    void databaseFactsComeFromTheWriter() {
        db.close();
        try (Database d = Database.open(DatabaseOptions.builder(dir.resolve("d.db").toString()).readers(2).build())
                .join()) {
            long before = d.totalChanges().join();
            d.execute("CREATE TABLE w(x)").join();
            d.execute("INSERT INTO w VALUES (1), (2)").join();

            assertThat(d.totalChanges().join() - before).isEqualTo(2);
            assertThat(d.blocking().totalChanges() - before).isEqualTo(2);
            assertThat(d.sqliteVersion().join()).isEqualTo(d.blocking().fetchOne("SELECT sqlite_version()")
                    .getString(0)).isEqualTo(d.blocking().sqliteVersion());
            assertThat(d.compileOptions().join()).isNotEmpty().isEqualTo(d.blocking().compileOptions());
        }
        assertThat(db.isClosed()).isTrue();
    }
}
