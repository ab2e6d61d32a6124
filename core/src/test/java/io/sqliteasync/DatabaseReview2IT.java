package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseReview2IT {
    @TempDir
    Path dir;

    private static final String FILL = "INSERT INTO t(x) WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c"
            + " WHERE i < 5000) SELECT i FROM c";

    private Database open(DatabaseOptions.Builder b) {
        return await(Database.open(b.build()));
    }

    @Test
    void aSnapshotCursorLeftOpenDoesNotPinTheReaderToAnOldSnapshot() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("a.db").toString()).readers(1))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            await(db.execute(FILL));
            // The cursor is left open, against the advice, when the scope ends.
            Row first = await(db.read(s -> s.cursor("SELECT x FROM t ORDER BY x").thenCompose(Cursor::fetchOne)));
            assertThat(first.getLong(0)).isEqualTo(1);
            await(db.execute("INSERT INTO t(x) VALUES (-1)"));
            assertThat(await(db.fetchOne("SELECT count(*) FROM t")).getLong(0)).isEqualTo(5001);
            long inScope = await(db.read(s -> s.fetchOne("SELECT count(*) FROM t").thenApply(r -> r.getLong(0))));
            assertThat(inScope).isEqualTo(5001);
        }
    }

    @Test
    void aSnapshotCursorUsedAfterTheScopeEndedFails() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("b.db").toString()).readers(1))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            await(db.execute(FILL));
            Cursor c = await(db.read(s -> s.cursor("SELECT x FROM t ORDER BY x")));
            assertThat(failure(c.fetchMany(10))).isInstanceOf(SqliteException.class);
        }
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
    void aBlockingCallOnTheWritersOwnThreadWhileItIsHeldFailsInsteadOfHanging() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("c.db").toString()))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            CompletableFuture<Object> tx = db.transaction(t -> {
                CompletableFuture<Object> r = new CompletableFuture<>();
                try {
                    db.blocking().execute("INSERT INTO t(x) VALUES (1)");
                    seen.complete(null);
                } catch (Throwable e) {
                    seen.complete(e);
                }
                r.complete(null);
                return r;
            });
            Throwable e = seen.completeOnTimeout(new AssertionError("hung"), 10, TimeUnit.SECONDS).join();
            assertThat(e).isInstanceOf(SqliteDeadlockException.class);
            await(tx);
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
    void aSnapshotDoesNotSeeACommitMadeWhileItIsOpenAndRefusesWrites() {
        for (String path : new String[] {dir.resolve("iso.db").toString(), ":memory:"}) {
            try (Database db = open(DatabaseOptions.builder(path))) {
                await(db.execute("CREATE TABLE t(x INTEGER)"));
                await(db.execute("INSERT INTO t(x) VALUES (1)"));
                CompletableFuture<Void> go = new CompletableFuture<>();
                CompletableFuture<Void> first = new CompletableFuture<>();
                CompletableFuture<long[]> read = db.read(s -> s.fetchOne("SELECT count(*) FROM t")
                        .thenCompose(a -> {
                            first.complete(null);
                            return go.thenCompose(x -> s.fetchOne("SELECT count(*) FROM t"))
                                .thenCompose(b -> s.fetchAll("INSERT INTO t(x) VALUES (9) RETURNING x")
                                        .handle((v, e) -> new long[] {a.getLong(0), b.getLong(0),
                                                e == null ? 0 : 1}));
                        }));
                await(first);
                CompletableFuture<ExecuteResult> write = db.execute("INSERT INTO t(x) VALUES (2)");
                if (db.isWal()) {
                    await(write);
                }
                go.complete(null);
                long[] r = await(read);
                await(write);
                assertThat(r).containsExactly(1, 1, 1);
                assertThat(await(db.fetchOne("SELECT count(*) FROM t")).getLong(0)).isEqualTo(2);
            }
        }
    }

    @Test
    void poolCountsReturnToIdleAfterFailuresCancelsAndTimeouts() throws Exception {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("stats.db").toString()).readers(2)
                .acquireTimeout(Duration.ofMillis(50)).transactionTimeout(Duration.ofMillis(200)))) {
            await(db.execute("CREATE TABLE t(x INTEGER PRIMARY KEY)"));
            java.util.List<CompletableFuture<?>> all = new java.util.ArrayList<>();
            CompletableFuture<Void> hold = new CompletableFuture<>();
            all.add(db.transaction(tx -> hold));
            all.add(db.read(s -> hold));
            all.add(db.read(s -> hold));
            for (int i = 0; i < 50; i++) {
                all.add(db.execute("INSERT INTO t(x) VALUES (1)"));
                all.add(db.fetchAll("SELECT nope FROM t"));
                CompletableFuture<?> c = db.fetchAll("SELECT 1");
                c.cancel(false);
                all.add(c);
                all.add(db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (1)")));
            }
            for (CompletableFuture<?> f : all) {
                f.handle((v, e) -> null).get(30, TimeUnit.SECONDS);
            }
            DatabaseStats st = db.stats();
            assertThat(st.readersBusy()).isZero();
            assertThat(st.writerBusy()).isFalse();
            assertThat(st.writerQueueLength()).isZero();
            assertThat(st.readerQueueLength()).isZero();
            assertThat(st.transactionTimeouts()).isGreaterThanOrEqualTo(1);
            assertThat(await(db.execute("INSERT INTO t(x) VALUES (7)")).rowsUpdated()).isEqualTo(1);
        }
    }

    @Test
    void transactionControlIsRecognisedWhateverItsSpelling() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("ctl.db").toString()))) {
            await(db.execute("CREATE TABLE beginx(x INTEGER)"));
            for (String sql : new String[] {"  -- c\n /* d */ begin", "end transaction", "Rollback To sp",
                    "savepoint a", "release a", "COMMIT;", "\n\tBEGIN IMMEDIATE"}) {
                assertThat(failure(db.execute(sql))).as(sql).isInstanceOf(SqliteException.class)
                        .hasMessageContaining("transaction");
                assertThat(failure(db.transaction(tx -> tx.execute(sql)))).as(sql)
                        .hasMessageContaining("transaction(fn)");
            }
            assertThat(failure(db.execute("BEGINX"))).isInstanceOf(SqliteException.class)
                    .hasMessageNotContaining("transaction(fn)");
            await(db.execute("CREATE TRIGGER tr AFTER INSERT ON beginx WHEN new.x < 0 BEGIN"
                    + " DELETE FROM beginx WHERE x < 0; END"));
            await(db.execute("WITH v(x) AS (SELECT 1) INSERT INTO beginx SELECT x FROM v"));
            await(db.executeScript("BEGIN; INSERT INTO beginx VALUES (2); COMMIT; SAVEPOINT s;"
                    + " INSERT INTO beginx VALUES (3); RELEASE s"));
            assertThat(await(db.fetchOne("SELECT count(*) FROM beginx")).getLong(0)).isEqualTo(3);
            assertThat(failure(db.executeScript("BEGIN; INSERT INTO beginx VALUES (4)")))
                    .hasMessageContaining("left a transaction open");
            assertThat(await(db.fetchOne("SELECT count(*) FROM beginx")).getLong(0)).isEqualTo(3);
            assertThat(await(db.execute("INSERT INTO beginx VALUES (5)")).rowsUpdated()).isEqualTo(1);
        }
    }

    @Test
    void blockingBodiesFailWithWhatTheyThrewAndNestedOnesRollBackAlone() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("blk.db").toString()))) {
            BlockingDatabase b = db.blocking();
            b.execute("CREATE TABLE t(x INTEGER)");
            IllegalStateException boom = new IllegalStateException("boom");
            assertThatThrownBy(() -> b.transaction(tx -> {
                tx.execute("INSERT INTO t(x) VALUES (1)");
                throw boom;
            })).isSameAs(boom);
            assertThatThrownBy(() -> b.transaction(tx -> {
                tx.execute("INSERT INTO t(x) VALUES (1)");
                throw new java.io.IOException("checked");
            })).isInstanceOf(SqliteException.class).hasRootCauseInstanceOf(java.io.IOException.class);
            int r = b.transaction(tx -> {
                tx.execute("INSERT INTO t(x) VALUES (1)");
                assertThatThrownBy(() -> tx.transaction(in -> {
                    in.execute("INSERT INTO t(x) VALUES (2)");
                    throw boom;
                })).isSameAs(boom);
                return tx.transaction(in -> in.execute("INSERT INTO t(x) VALUES (3)")).rowsUpdated() > 0 ? 1 : 0;
            });
            assertThat(r).isEqualTo(1);
            assertThat(b.fetchAll("SELECT x FROM t ORDER BY x")).extracting(row -> row.getLong(0))
                    .containsExactly(1L, 3L);
            long n = b.read(s -> s.fetchOne("SELECT count(*) FROM t").getLong(0));
            assertThat(n).isEqualTo(2);
            assertThat(db.stats().writerBusy()).isFalse();
        }
    }

    @Test
    void anInterruptedBlockingTransactionWaitingForTheWriterLeavesTheQueue() throws Exception {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("intr.db").toString()))) {
            db.blocking().execute("CREATE TABLE t(x INTEGER)");
            CompletableFuture<Void> hold = new CompletableFuture<>();
            CompletableFuture<Object> holder = db.transaction(tx -> hold.thenApply(x -> null));
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    db.blocking().transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (1)"));
                    seen.complete(null);
                } catch (Throwable e) {
                    seen.complete(e);
                }
            });
            t.start();
            while (db.stats().writerQueueLength() == 0) {
                Thread.onSpinWait();
            }
            t.interrupt();
            assertThat(seen.get(30, TimeUnit.SECONDS)).isInstanceOf(SqliteException.class);
            assertThat(db.stats().writerQueueLength()).isZero();
            hold.complete(null);
            await(holder);
            assertThat(db.blocking().fetchOne("SELECT count(*) FROM t").getLong(0)).isZero();
            assertThat(db.stats().writerBusy()).isFalse();
        }
    }

    @Test
    void theWriterQueueGrantsInRequestOrderAcrossCancels() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("fair.db").toString()))) {
            await(db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER)"));
            CompletableFuture<Void> hold = new CompletableFuture<>();
            CompletableFuture<Object> holder = db.transaction(tx -> hold.thenApply(x -> null));
            java.util.List<Long> expected = new java.util.ArrayList<>();
            java.util.List<CompletableFuture<?>> all = new java.util.ArrayList<>();
            for (long i = 0; i < 200; i++) {
                CompletableFuture<ExecuteResult> f = db.execute("INSERT INTO t(x) VALUES (?)", i);
                if (i % 3 == 0) {
                    f.cancel(false);
                } else {
                    expected.add(i);
                }
                all.add(f);
            }
            assertThat(db.stats().writerQueueLength()).isEqualTo(expected.size());
            hold.complete(null);
            await(holder);
            for (CompletableFuture<?> f : all) {
                f.handle((v, e) -> null).join();
            }
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aTruncateCheckpointWhileASnapshotIsOpenReportsBusyAndLaterSucceeds() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("ckpt.db").toString())
                .busyTimeout(Duration.ofMillis(200)))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            await(db.execute("INSERT INTO t(x) VALUES (1)"));
            CompletableFuture<Void> hold = new CompletableFuture<>();
            CompletableFuture<Void> inside = new CompletableFuture<>();
            CompletableFuture<Long> read = db.read(s -> s.fetchOne("SELECT count(*) FROM t").thenCompose(r -> {
                inside.complete(null);
                return hold.thenApply(x -> r.getLong(0));
            }));
            await(inside);
            await(db.execute("INSERT INTO t(x) VALUES (2)"));
            CheckpointResult busy = await(db.checkpoint(CheckpointMode.TRUNCATE));
            assertThat(busy.busy()).isTrue();
            assertThat(await(db.execute("INSERT INTO t(x) VALUES (3)")).rowsUpdated()).isEqualTo(1);
            hold.complete(null);
            assertThat(await(read)).isEqualTo(1);
            CheckpointResult ok = await(db.checkpoint(CheckpointMode.TRUNCATE));
            assertThat(ok.busy()).isFalse();
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

    @Test
    void aTransactionScriptThatCommitsAndBeginsAgainFailsTheTransaction() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("scr.db").toString()))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            Throwable e = failure(db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (1)")
                    .thenCompose(r -> tx.executeScript("INSERT INTO t(x) VALUES (2); ROLLBACK; BEGIN;"
                            + " INSERT INTO t(x) VALUES (3)"))
                    .thenCompose(r -> tx.execute("INSERT INTO t(x) VALUES (4)"))));
            assertThat(e).isInstanceOf(SqliteException.class).hasMessageContaining("script");
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY x"))).isEmpty();
            assertThat(await(db.execute("INSERT INTO t(x) VALUES (5)")).rowsUpdated()).isEqualTo(1);
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
    void aScriptThatFailsAfterItsBeginDoesNotLeaveTheWriterInATransaction() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("scrfail.db").toString()))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            assertThat(failure(db.executeScript("BEGIN; INSERT INTO t(x) VALUES (1); SELECT nope FROM t; COMMIT")))
                    .isInstanceOf(SqliteException.class);
            await(db.execute("INSERT INTO t(x) VALUES (2)"));
            // a reader sees the plain write as committed, and the script's half-done work rolled back
            assertThat(await(db.fetchAll("SELECT x FROM t"))).extracting(r -> r.getLong(0)).containsExactly(2L);
            assertThat(await(db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (3)"))).rowsUpdated())
                    .isEqualTo(1);
        }
    }

    @Test
    void hugeTimeoutsAreRefusedAsOutOfRangeNotWithAnOverflow() {
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        String path = dir.resolve("huge.db").toString();
        assertThatThrownBy(() -> DatabaseOptions.builder(path).acquireTimeout(forever).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acquireTimeout");
        assertThatThrownBy(() -> DatabaseOptions.builder(path).transactionTimeout(forever).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transactionTimeout");
        assertThatThrownBy(() -> DatabaseOptions.builder(path).busyTimeout(forever).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
