package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one shared connection of an in-memory {@link Database}: reads never write, writes never see query_only. */
class SharedConnectionIT {
    @TempDir
    Path dir;

    private Database open(DatabaseOptions.Builder b) {
        return await(Database.open(b.build()));
    }

    @Test
    void aTimedOutReadOnTheSharedConnectionDoesNotLeaveQueryOnlyOn() {
        try (Database db = open(DatabaseOptions.builder(":memory:"))) {
            assertThat(db.isWal()).isFalse();
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            CompletableFuture<?> slow = Deadline.within(Duration.ofMillis(100), () -> db.fetchAll(
                    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c) SELECT count(*) FROM c"));
            assertThat(failure(slow)).isInstanceOf(SqliteTimeoutException.class);
            assertThat(await(db.execute("INSERT INTO t(x) VALUES (1)")).rowsUpdated()).isEqualTo(1);
        }
    }

    @Test
    void aCancelledReadOnTheSharedConnectionDoesNotLeaveQueryOnlyOn() throws Exception {
        try (Database db = open(DatabaseOptions.builder(":memory:"))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            CompletableFuture<Void> started = new CompletableFuture<>();
            await(db.createFunction("started", 0, args -> {
                started.complete(null);
                return 1;
            }));
            CompletableFuture<?> slow = db.fetchAll("WITH RECURSIVE c(i) AS (SELECT started() UNION ALL"
                    + " SELECT i + 1 FROM c) SELECT count(*) FROM c");
            started.get(30, TimeUnit.SECONDS);
            slow.cancel(true);
            assertThat(await(db.execute("INSERT INTO t(x) VALUES (1)")).rowsUpdated()).isEqualTo(1);
        }
    }

    @Test
    void aCursorOnTheSharedConnectionRefusesWritesLikeOtherReads() {
        try (Database db = open(DatabaseOptions.builder(":memory:"))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            Throwable e = failure(db.cursor("INSERT INTO t(x) VALUES (1) RETURNING x")
                    .thenCompose(Cursor::fetchAll));
            assertThat(e).isInstanceOf(SqliteException.class).hasMessageContaining("cannot write through a reader");
            assertThat(await(db.fetchOne("SELECT count(*) FROM t")).getLong(0)).isZero();
            // and query_only is off again for the writer
            assertThat(await(db.execute("INSERT INTO t(x) VALUES (2)")).rowsUpdated()).isEqualTo(1);
        }
    }

    @Test
    void aStreamOnTheSharedConnectionRefusesWritesLikeOtherReads() throws Exception {
        try (Database db = open(DatabaseOptions.builder(":memory:"))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            CompletableFuture<Throwable> done = new CompletableFuture<>();
            db.stream("INSERT INTO t(x) VALUES (1) RETURNING x").subscribe(new java.util.concurrent.Flow.Subscriber<>() {
                @Override
                public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                    s.request(10);
                }

                @Override
                public void onNext(Row item) {
                }

                @Override
                public void onError(Throwable t) {
                    done.complete(t);
                }

                @Override
                public void onComplete() {
                    done.complete(null);
                }
            });
            assertThat(done.get(30, TimeUnit.SECONDS)).isInstanceOf(SqliteException.class);
            assertThat(await(db.fetchOne("SELECT count(*) FROM t")).getLong(0)).isZero();
            assertThat(await(db.execute("INSERT INTO t(x) VALUES (2)")).rowsUpdated()).isEqualTo(1);
        }
    }

    @Test
    void onTheSharedConnectionWritesNeverSeeQueryOnlyAndReadsNeverWrite() throws Exception {
        try (Database db = open(DatabaseOptions.builder(":memory:"))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            java.util.List<CompletableFuture<?>> writes = new java.util.ArrayList<>();
            java.util.List<CompletableFuture<?>> others = new java.util.ArrayList<>();
            java.util.Random rnd = new java.util.Random(42);
            for (int i = 0; i < 300; i++) {
                writes.add(db.execute("INSERT INTO t(x) VALUES (?)", i));
                CompletableFuture<?> r;
                switch (i % 4) {
                    case 0:
                        r = db.fetchAll("INSERT INTO t(x) VALUES (-1) RETURNING x");
                        break;
                    case 1:
                        r = db.read(s -> s.fetchAll("INSERT INTO t(x) VALUES (-1) RETURNING x"));
                        break;
                    case 2:
                        r = db.cursor("INSERT INTO t(x) VALUES (-1) RETURNING x").thenCompose(Cursor::fetchAll);
                        break;
                    default:
                        r = Deadline.within(Duration.ofNanos(rnd.nextInt(200_000) + 1), () -> db.read(
                                s -> s.fetchAll("SELECT count(*) FROM t")));
                        break;
                }
                if (rnd.nextInt(5) == 0) {
                    r.cancel(false);
                }
                others.add(r);
            }
            for (CompletableFuture<?> w : writes) {
                await(w);
            }
            for (CompletableFuture<?> o : others) {
                o.handle((v, e) -> null).get(30, TimeUnit.SECONDS);
            }
            assertThat(await(db.fetchOne("SELECT count(*) FROM t WHERE x < 0")).getLong(0)).isZero();
            assertThat(await(db.fetchOne("SELECT count(*) FROM t")).getLong(0)).isEqualTo(300);
            assertThat(await(db.execute("INSERT INTO t(x) VALUES (1)")).rowsUpdated()).isEqualTo(1);
            assertThat(db.stats().writerBusy()).isFalse();
        }
    }

    @Test
    void closeLetsAReadScopeAndATransactionWaitingForTheSharedConnectionRun() {
        Database db = open(DatabaseOptions.builder(":memory:"));
        await(db.execute("CREATE TABLE t(x INTEGER)"));
        CompletableFuture<Void> hold = new CompletableFuture<>();
        CompletableFuture<Object> holder = db.transaction(tx -> hold.thenApply(x -> null));
        CompletableFuture<Long> read = db.read(s -> s.fetchOne("SELECT count(*) FROM t").thenApply(r -> r.getLong(0)));
        CompletableFuture<ExecuteResult> tx = db.transaction(t -> t.execute("INSERT INTO t(x) VALUES (1)"));
        CompletableFuture<Void> closed = db.closeAsync();
        assertThat(failure(db.execute("INSERT INTO t(x) VALUES (2)"))).isInstanceOf(SqliteClosedException.class);
        hold.complete(null);
        await(holder);
        assertThat(await(read)).isZero();
        assertThat(await(tx).rowsUpdated()).isEqualTo(1);
        await(closed);
    }
}
