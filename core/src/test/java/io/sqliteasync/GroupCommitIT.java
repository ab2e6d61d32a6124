package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.count;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on a {@link Database}'s writer: writes queued while the writer is held run in one transaction and
 * commit once; each caller hears of its own write only after that commit. Batches are made to form by holding the
 * writer with a transaction until every write is queued, never by timing.
 */
class GroupCommitIT {
    @TempDir
    Path dir;

    private Database open(String name, int maxBatch) {
        Database db = await(Database.open(DatabaseOptions.builder(dir.resolve(name).toString()).readers(2)
                .groupCommit(true).groupCommitMaxBatch(maxBatch).build()));
        await(db.executeScript("CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER UNIQUE);"
                + " CREATE TABLE holder(id INTEGER PRIMARY KEY)"));
        return db;
    }

    /**
     * Holds the writer in a transaction begun with {@code begin()}, which is never batched (it writes a row, so its
     * commit is seen), until the hold completes.
     */
    private static CompletableFuture<Void> holdWriter(Database db, List<CompletableFuture<?>> holders) {
        CompletableFuture<Void> hold = new CompletableFuture<>();
        CountDownLatch begun = new CountDownLatch(1);
        holders.add(db.begin().thenCompose(tx -> tx.execute("INSERT INTO holder DEFAULT VALUES").thenCompose(r -> {
            begun.countDown();
            return hold;
        }).thenCompose(v -> tx.commit())));
        try {
            assertThat(begun.await(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return hold;
    }

    private static AtomicInteger countCommits(Database db) {
        AtomicInteger commits = new AtomicInteger();
        await(db.setCommitHook(() -> {
            commits.incrementAndGet();
            return null;
        }));
        return commits;
    }

    private static void settleAll(List<? extends CompletableFuture<?>> all) {
        for (CompletableFuture<?> f : all) {
            f.handle((v, e) -> null).orTimeout(60, TimeUnit.SECONDS).join();
        }
    }

    @Test
    void writesQueuedWhileTheWriterIsHeldCommitTogetherInBatchesOfAtMostTheMaximum() {
        try (Database db = open("batch.db", 64)) {
            AtomicInteger commits = countCommits(db);
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            List<CompletableFuture<ExecuteResult>> writes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                writes.add(db.execute("INSERT INTO t(x) VALUES (?)", i));
            }
            commits.set(0);
            hold.complete(null);
            await(holders.get(0));
            settleAll(writes);
            // The holder's commit, then 100 writes in batches of 64 and 36.
            assertThat(commits.get()).isEqualTo(3);
            Set<Long> rowids = new HashSet<>();
            for (CompletableFuture<ExecuteResult> w : writes) {
                ExecuteResult r = await(w);
                assertThat(r.rowsUpdated()).isEqualTo(1);
                rowids.add(r.lastInsertRowid());
            }
            assertThat(rowids).hasSize(100);
            // In submission order, each write's own rowid.
            List<Row> rows = await(db.fetchAll("SELECT id, x FROM t ORDER BY id"));
            for (int i = 0; i < 100; i++) {
                assertThat(rows.get(i).getLong(1)).isEqualTo(i);
                assertThat(rows.get(i).getLong(0)).isEqualTo(await(writes.get(i)).lastInsertRowid());
            }
        }
    }

    @Test
    void aLoneWriteCommitsAloneAtOnce() {
        try (Database db = open("lone.db", 64)) {
            AtomicInteger commits = countCommits(db);
            for (int i = 0; i < 20; i++) {
                assertThat(await(db.execute("INSERT INTO t(x) VALUES (?)", i)).rowsUpdated()).isEqualTo(1);
                assertThat(commits.get()).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void aConstraintViolationFailsOnlyItsOwnWriteAndTheOthersCommit() {
        try (Database db = open("isolated.db", 64)) {
            AtomicInteger commits = countCommits(db);
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            List<CompletableFuture<ExecuteResult>> writes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                // The sixth write repeats the third one's unique value.
                writes.add(db.execute("INSERT INTO t(x) VALUES (?)", i == 5 ? 2 : i));
            }
            commits.set(0);
            hold.complete(null);
            settleAll(writes);
            assertThat(failure(writes.get(5))).isInstanceOf(SqliteConstraintException.class);
            for (int i = 0; i < 10; i++) {
                if (i != 5) {
                    assertThat(await(writes.get(i)).rowsUpdated()).isEqualTo(1);
                }
            }
            assertThat(commits.get()).isEqualTo(2);
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void aFailingCommitFailsEveryWriteOfTheBatchAndCommitsNothing() {
        try (Database db = open("commitfails.db", 64)) {
            await(db.executeScript("CREATE TABLE p(id INTEGER PRIMARY KEY);"
                    + " CREATE TABLE c(pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)"));
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            List<CompletableFuture<ExecuteResult>> writes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                writes.add(db.execute("INSERT INTO t(x) VALUES (?)", i));
            }
            // Passes as a statement; the deferred foreign key check fails the COMMIT.
            writes.add(db.execute("INSERT INTO c(pid) VALUES (42)"));
            writes.add(db.execute("INSERT INTO t(x) VALUES (99)"));
            hold.complete(null);
            settleAll(writes);
            for (CompletableFuture<ExecuteResult> w : writes) {
                assertThat(failure(w)).isInstanceOf(SqliteConstraintException.class);
            }
            assertThat(count(db, "t")).isZero();
            assertThat(count(db, "c")).isZero();
            // The writer is clean: the next writes commit.
            assertThat(await(db.execute("INSERT INTO t(x) VALUES (1)")).rowsUpdated()).isEqualTo(1);
            assertThat(count(db, "t")).isEqualTo(1);
        }
    }

    @Test
    void aCommitHookThatThrowsDuringTheSharedCommitFailsEveryWriteOfTheBatchAndTheCommitStands() {
        try (Database db = open("hookthrows.db", 64)) {
            java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
            await(db.setCommitHook(() -> {
                if (armed.get()) {
                    throw new IllegalStateException("hook refuses");
                }
                return null;
            }));
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            List<CompletableFuture<ExecuteResult>> writes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                writes.add(db.execute("INSERT INTO t(x) VALUES (?)", i));
            }
            armed.set(true);
            hold.complete(null);
            settleAll(holders);
            settleAll(writes);
            for (CompletableFuture<ExecuteResult> w : writes) {
                assertThat(failure(w)).isInstanceOf(SqliteException.class).hasStackTraceContaining("hook refuses");
            }
            armed.set(false);
            // As for a single write: the hook's failure fails the call, the commit itself stands.
            assertThat(count(db, "t")).isEqualTo(3);
        }
    }

    @Test
    void aWriteThatMakesSqliteRollBackTheTransactionTakesTheEarlierWritesOfItsBatchOnly() {
        try (Database db = open("lost.db", 64)) {
            await(db.execute("INSERT INTO t(x) VALUES (1000)"));
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            List<CompletableFuture<ExecuteResult>> writes = new ArrayList<>();
            writes.add(db.execute("INSERT INTO t(x) VALUES (1)"));
            writes.add(db.execute("INSERT INTO t(x) VALUES (2)"));
            writes.add(db.execute("INSERT OR ROLLBACK INTO t(x) VALUES (1000)"));
            writes.add(db.execute("INSERT INTO t(x) VALUES (3)"));
            hold.complete(null);
            settleAll(writes);
            for (int i = 0; i < 2; i++) {
                assertThat(failure(writes.get(i))).isInstanceOf(SqliteException.class)
                        .hasMessageContaining("rolled back with the group-commit batch");
            }
            assertThat(failure(writes.get(2))).isInstanceOf(SqliteConstraintException.class);
            assertThat(await(writes.get(3)).rowsUpdated()).isEqualTo(1);
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(1000L, 3L);
        }
    }

    @Test
    void aWriteCancelledBeforeItsBatchStartsNeverRuns() {
        try (Database db = open("cancel.db", 64)) {
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            List<CompletableFuture<ExecuteResult>> writes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                writes.add(db.execute("INSERT INTO t(x) VALUES (?)", i));
            }
            assertThat(writes.get(4).cancel(false)).isTrue();
            hold.complete(null);
            settleAll(writes);
            assertThat(writes.get(4)).isCancelled();
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(0L, 1L, 2L, 3L, 5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void aWriteCancelledWhileItRunsIsStoppedAndFails() throws Exception {
        try (Database db = open("cancelrunning.db", 64)) {
            CountDownLatch inside = new CountDownLatch(1);
            CompletableFuture<Void> release = new CompletableFuture<>();
            await(db.createFunction("wait_here", 0, args -> {
                inside.countDown();
                return release.thenApply(x -> 1L);
            }));
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            CompletableFuture<ExecuteResult> before = db.execute("INSERT INTO t(x) VALUES (1)");
            CompletableFuture<ExecuteResult> slow = db.execute("INSERT INTO t(x) VALUES (wait_here() + 100)");
            CompletableFuture<ExecuteResult> after = db.execute("INSERT INTO t(x) VALUES (2)");
            hold.complete(null);
            assertThat(inside.await(60, TimeUnit.SECONDS)).isTrue();
            slow.cancel(false);
            settleAll(List.of(before, slow, after));
            assertThat(slow).isCancelled();
            // The write before it shared its transaction; SQLite may have rolled it back with the cancelled one.
            // Either way every caller hears the truth: what reported success is in the table, nothing else is.
            List<Long> committed = new ArrayList<>();
            for (CompletableFuture<ExecuteResult> f : List.of(before, after)) {
                if (!f.isCompletedExceptionally()) {
                    committed.add(f == before ? 1L : 2L);
                }
            }
            assertThat(after.isCompletedExceptionally()).isFalse();
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactlyElementsOf(committed);
        }
    }

    @Test
    void aRequestForTheWriterKeepsItsPlaceBetweenGroupedWrites() {
        try (Database db = open("order.db", 64)) {
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            List<CompletableFuture<?>> all = new ArrayList<>();
            all.add(db.execute("INSERT INTO t(x) VALUES (1)"));
            all.add(db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (2)")));
            all.add(db.execute("INSERT INTO t(x) VALUES (3)"));
            // Cannot be grouped: runs alone, in its place.
            all.add(db.executeScript("PRAGMA user_version = 7"));
            all.add(db.execute("INSERT INTO t(x) VALUES (4)"));
            hold.complete(null);
            settleAll(all);
            for (CompletableFuture<?> f : all) {
                await(f);
            }
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(1L, 2L, 3L, 4L);
            assertThat(await(db.fetchOne("PRAGMA user_version")).getLong(0)).isEqualTo(7);
        }
    }

    @Test
    void scriptsAndBatchesAreGroupedAndAScriptWithTransactionControlRunsAlone() {
        try (Database db = open("scripts.db", 64)) {
            AtomicInteger commits = countCommits(db);
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            List<CompletableFuture<?>> all = new ArrayList<>();
            all.add(db.executeScript("INSERT INTO t(x) VALUES (1); INSERT INTO t(x) VALUES (2)"));
            all.add(db.executeMany("INSERT INTO t(x) VALUES (?)", List.of(new Object[] {3}, new Object[] {4})));
            all.add(db.executeScript("BEGIN; INSERT INTO t(x) VALUES (5); COMMIT"));
            all.add(db.execute("INSERT INTO t(x) VALUES (6)"));
            commits.set(0);
            hold.complete(null);
            settleAll(all);
            for (CompletableFuture<?> f : all) {
                await(f);
            }
            // The holder; the script and the batch together; the script with its own BEGIN; the last write alone.
            assertThat(commits.get()).isEqualTo(4);
            assertThat(count(db, "t")).isEqualTo(6);
        }
    }

    @Test
    void everyWriteIsReportedToTheListenerAsItsOwnCall() {
        ConcurrentLinkedQueue<CallEvent> ended = new ConcurrentLinkedQueue<>();
        AtomicInteger started = new AtomicInteger();
        try (Database db = open("listener.db", 64)) {
            db.addListener(new CallListener() {
                @Override
                public void onStart(CallEvent call, Object context) {
                    if (call.kind() == CallEvent.Kind.EXECUTE && call.sql().startsWith("INSERT INTO t")) {
                        started.incrementAndGet();
                    }
                }

                @Override
                public void onEnd(CallEvent call, Object context) {
                    if (call.kind() == CallEvent.Kind.EXECUTE && call.sql().startsWith("INSERT INTO t")) {
                        ended.add(call);
                    }
                }
            });
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            List<CompletableFuture<ExecuteResult>> writes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                writes.add(db.execute("INSERT INTO t(x) VALUES (?)", i == 3 ? 1 : i));
            }
            hold.complete(null);
            settleAll(writes);
            assertThat(started.get()).isEqualTo(10);
            assertThat(ended).hasSize(10);
            assertThat(ended).filteredOn(e -> e.error() != null).hasSize(1);
        }
    }

    @Test
    void writingThroughTheDatabaseInsideItsOwnTransactionIsStillRefused() {
        try (Database db = open("inside.db", 64)) {
            Throwable t = failure(db.transaction(tx -> db.execute("INSERT INTO t(x) VALUES (1)")));
            assertThat(t).isInstanceOf(SqliteDeadlockException.class);
        }
    }

    @Test
    void aWriteMadeFromAWriterCallbackRunsAfterTheWriteThatMadeIt() {
        try (Database db = open("callback.db", 64)) {
            List<CompletableFuture<ExecuteResult>> inner = new ArrayList<>();
            await(db.createFunction("write_later", 0, args -> {
                inner.add(db.execute("INSERT INTO t(x) VALUES (-1)"));
                return 1L;
            }));
            await(db.execute("INSERT INTO t(x) VALUES (write_later())"));
            assertThat(inner).hasSize(1);
            assertThat(await(inner.get(0)).rowsUpdated()).isEqualTo(1);
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(1L, -1L);
        }
    }

    @Test
    void aWriteWhoseDeadlinePassesWhileItsBatchWaitsFailsWithATimeoutAndNeverRuns() {
        try (Database db = open("deadline.db", 64)) {
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            CompletableFuture<ExecuteResult> before = db.execute("INSERT INTO t(x) VALUES (1)");
            CompletableFuture<ExecuteResult> bounded = Deadline.within(java.time.Duration.ofMillis(50),
                    () -> db.execute("INSERT INTO t(x) VALUES (2)"));
            CompletableFuture<ExecuteResult> after = db.execute("INSERT INTO t(x) VALUES (3)");
            // The writer is held until the deadline has failed the bounded write: no timing decides the outcome.
            assertThat(failure(bounded)).isInstanceOf(SqliteTimeoutException.class);
            hold.complete(null);
            settleAll(List.of(before, after));
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(1L, 3L);
        }
    }

    @Test
    void closeLetsQueuedWritesCommitFirst() {
        Database db = open("close.db", 8);
        List<CompletableFuture<?>> holders = new ArrayList<>();
        CompletableFuture<Void> hold = holdWriter(db, holders);
        List<CompletableFuture<ExecuteResult>> writes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            writes.add(db.execute("INSERT INTO t(x) VALUES (?)", i));
        }
        CompletableFuture<Void> closing = db.closeAsync();
        assertThat(failure(db.execute("INSERT INTO t(x) VALUES (-1)"))).isInstanceOf(SqliteClosedException.class);
        hold.complete(null);
        await(closing);
        for (CompletableFuture<ExecuteResult> w : writes) {
            assertThat(await(w).rowsUpdated()).isEqualTo(1);
        }
        try (Database again = await(Database.open(dir.resolve("close.db").toString()))) {
            assertThat(count(again, "t")).isEqualTo(30);
        }
    }

    @Test
    void manyConcurrentWritersAreEachAcknowledgedOnceAndNothingIsLost() throws Exception {
        try (Database db = open("concurrent.db", 16)) {
            int threads = 8;
            int each = 200;
            List<Thread> ts = new ArrayList<>();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger acknowledged = new AtomicInteger();
            for (int t = 0; t < threads; t++) {
                int base = t * each;
                Thread th = new Thread(() -> {
                    List<CompletableFuture<ExecuteResult>> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(db.execute("INSERT INTO t(x) VALUES (?)", base + i));
                    }
                    for (CompletableFuture<ExecuteResult> f : mine) {
                        try {
                            f.orTimeout(60, TimeUnit.SECONDS).join();
                            acknowledged.incrementAndGet();
                        } catch (RuntimeException e) {
                            errors.add(e);
                        }
                    }
                });
                th.start();
                ts.add(th);
            }
            for (Thread t : ts) {
                t.join(120_000);
            }
            assertThat(errors).isEmpty();
            assertThat(acknowledged.get()).isEqualTo(threads * each);
            assertThat(count(db, "t")).isEqualTo(threads * each);
        }
    }

    // ------------------------------------------------------------------ transaction(fn) units

    /** A transaction unit: inserts x, then sets y on the same row; its result is the row's id. */
    private static CompletableFuture<Long> insertThenUpdate(Database db, int x) {
        return db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (?)", x)
                .thenCompose(r -> tx.execute("UPDATE t SET x = x + 1000 WHERE id = ?", r.lastInsertRowid())
                        .thenApply(u -> r.lastInsertRowid())));
    }

    @Test
    void transactionUnitsAreBatchedWithPlainWritesAndEachGetsItsOwnResult() {
        try (Database db = open("txbatch.db", 64)) {
            AtomicInteger commits = countCommits(db);
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            List<CompletableFuture<ExecuteResult>> plain = new ArrayList<>();
            List<CompletableFuture<Long>> txs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                plain.add(db.execute("INSERT INTO t(x) VALUES (?)", i));
                txs.add(insertThenUpdate(db, 100 + i));
            }
            commits.set(0);
            hold.complete(null);
            await(holders.get(0));
            settleAll(plain);
            settleAll(txs);
            // The holder's own commit, then one shared commit for ten units.
            assertThat(commits.get()).isEqualTo(2);
            for (int i = 0; i < 5; i++) {
                long id = await(txs.get(i));
                assertThat(await(db.fetchOne("SELECT x FROM t WHERE id = ?", id)).getLong(0)).isEqualTo(1100 + i);
                assertThat(await(plain.get(i)).rowsUpdated()).isEqualTo(1);
            }
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(0L, 1100L, 1L, 1101L, 2L, 1102L, 3L, 1103L, 4L, 1104L);
        }
    }

    @Test
    void aFailingTransactionUnitRollsBackAloneAndTheOthersCommit() {
        try (Database db = open("txfail.db", 64)) {
            AtomicInteger commits = countCommits(db);
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            CompletableFuture<ExecuteResult> first = db.execute("INSERT INTO t(x) VALUES (1)");
            IllegalStateException boom = new IllegalStateException("function throws");
            CompletableFuture<Object> throwsNow = db.transaction(tx -> {
                tx.execute("INSERT INTO t(x) VALUES (2)");
                throw boom;
            });
            CompletableFuture<Long> ok1 = insertThenUpdate(db, 3);
            CompletableFuture<Object> stageFails = db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (4)")
                    .thenCompose(r -> CompletableFuture.failedFuture(new IllegalArgumentException("stage fails"))));
            // The unique x = 1 is taken by the first write of the batch: the second statement fails.
            CompletableFuture<ExecuteResult> violates = db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (5)")
                    .thenCompose(r -> tx.execute("INSERT INTO t(x) VALUES (1)")));
            CompletableFuture<ExecuteResult> last = db.execute("INSERT INTO t(x) VALUES (6)");
            commits.set(0);
            hold.complete(null);
            List<CompletableFuture<?>> all = List.of(first, throwsNow, ok1, stageFails, violates, last);
            settleAll(all);
            assertThat(failure(throwsNow)).isSameAs(boom);
            assertThat(failure(stageFails)).isInstanceOf(IllegalArgumentException.class).hasMessage("stage fails");
            assertThat(failure(violates)).isInstanceOf(SqliteConstraintException.class);
            assertThat(await(first).rowsUpdated()).isEqualTo(1);
            assertThat(await(last).rowsUpdated()).isEqualTo(1);
            await(ok1);
            // The holder's commit, then the batch's.
            assertThat(commits.get()).isEqualTo(2);
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(1L, 1003L, 6L);
        }
    }

    @Test
    void anAsyncFunctionHoldsTheBatchUntilItsStageCompletesFromAnotherThread() throws Exception {
        try (Database db = open("txasync.db", 64)) {
            AtomicInteger commits = countCommits(db);
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            CompletableFuture<ExecuteResult> before = db.execute("INSERT INTO t(x) VALUES (1)");
            CompletableFuture<String> gate = new CompletableFuture<>();
            CountDownLatch inside = new CountDownLatch(1);
            CompletableFuture<String> async = db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (2)")
                    .thenCompose(r -> {
                        inside.countDown();
                        return gate;
                    })
                    .thenCompose(v -> tx.execute("INSERT INTO t(x) VALUES (3)").thenApply(r -> v)));
            CompletableFuture<ExecuteResult> after = db.execute("INSERT INTO t(x) VALUES (4)");
            hold.complete(null);
            await(holders.get(0));
            commits.set(0);
            assertThat(inside.await(60, TimeUnit.SECONDS)).isTrue();
            // The batch waits for the function: nobody is acknowledged, nothing is committed yet.
            assertThat(before).isNotDone();
            assertThat(after).isNotDone();
            assertThat(commits.get()).isZero();
            Thread completer = new Thread(() -> gate.complete("done later"));
            completer.start();
            completer.join(60_000);
            settleAll(List.of(before, async, after));
            assertThat(await(async)).isEqualTo("done later");
            assertThat(await(before).rowsUpdated()).isEqualTo(1);
            assertThat(await(after).rowsUpdated()).isEqualTo(1);
            assertThat(commits.get()).isEqualTo(1);
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void cancellingATransactionUnitWhileItsFunctionRunsRollsItBackAlone() throws Exception {
        try (Database db = open("txcancel.db", 64)) {
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            CompletableFuture<ExecuteResult> before = db.execute("INSERT INTO t(x) VALUES (1)");
            CountDownLatch inside = new CountDownLatch(1);
            CompletableFuture<Object> never = new CompletableFuture<>();
            CompletableFuture<Object> cancelled = db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (2)")
                    .thenCompose(r -> {
                        inside.countDown();
                        return never;
                    }));
            CompletableFuture<ExecuteResult> withdrawn = db.execute("INSERT INTO t(x) VALUES (3)");
            CompletableFuture<Long> after = insertThenUpdate(db, 4);
            assertThat(withdrawn.cancel(false)).isTrue();
            hold.complete(null);
            assertThat(inside.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(cancelled.cancel(false)).isTrue();
            settleAll(List.of(before, after));
            assertThat(await(before).rowsUpdated()).isEqualTo(1);
            await(after);
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(1L, 1004L);
        }
    }

    @Test
    void aTransactionUnitWhoseDeadlinePassesBeforeItsTurnFailsAloneAndNeverRuns() {
        try (Database db = open("txdeadline.db", 64)) {
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            CompletableFuture<ExecuteResult> before = db.execute("INSERT INTO t(x) VALUES (1)");
            AtomicInteger ran = new AtomicInteger();
            CompletableFuture<ExecuteResult> bounded = Deadline.within(java.time.Duration.ofMillis(50),
                    () -> db.transaction(tx -> {
                        ran.incrementAndGet();
                        return tx.execute("INSERT INTO t(x) VALUES (2)");
                    }));
            CompletableFuture<Long> after = insertThenUpdate(db, 3);
            // The writer is held until the deadline has failed the bounded unit: no timing decides the outcome.
            assertThat(failure(bounded)).isInstanceOf(SqliteTimeoutException.class);
            hold.complete(null);
            settleAll(List.of(before, after));
            await(after);
            assertThat(ran.get()).isZero();
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(1L, 1003L);
        }
    }

    @Test
    void aTransactionUnitThatOutlivesTheTransactionTimeoutRollsBackAloneAndTheBatchGoesOn() throws Exception {
        Database db = await(Database.open(DatabaseOptions.builder(dir.resolve("txtimeout.db").toString())
                .readers(1).groupCommit(true).transactionTimeout(java.time.Duration.ofMillis(200)).build()));
        try (db) {
            await(db.executeScript("CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER UNIQUE)"));
            CompletableFuture<Void> hold = new CompletableFuture<>();
            CountDownLatch held = new CountDownLatch(1);
            // Holds the writer alone (begin() handles are never batched) until every unit is queued.
            CompletableFuture<Void> holder = db.begin().thenCompose(tx -> {
                held.countDown();
                return hold.thenCompose(v -> tx.commit());
            });
            assertThat(held.await(60, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<ExecuteResult> before = db.execute("INSERT INTO t(x) VALUES (1)");
            CompletableFuture<Object> stuck = db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (2)")
                    .thenCompose(r -> new CompletableFuture<>()));
            CompletableFuture<ExecuteResult> after = db.execute("INSERT INTO t(x) VALUES (3)");
            hold.complete(null);
            await(holder);
            settleAll(List.of(before, stuck, after));
            assertThat(failure(stuck)).isInstanceOf(SqliteTimeoutException.class);
            assertThat(await(before).rowsUpdated()).isEqualTo(1);
            assertThat(await(after).rowsUpdated()).isEqualTo(1);
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(1L, 3L);
        }
    }

    @Test
    void aFailingCommitFailsEveryTransactionUnitOfTheBatch() {
        try (Database db = open("txcommitfails.db", 64)) {
            await(db.executeScript("CREATE TABLE p(id INTEGER PRIMARY KEY);"
                    + " CREATE TABLE c(pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)"));
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            List<CompletableFuture<?>> units = new ArrayList<>();
            units.add(insertThenUpdate(db, 1));
            units.add(db.execute("INSERT INTO t(x) VALUES (2)"));
            // Passes as a statement; the deferred foreign key check fails the shared COMMIT.
            units.add(db.transaction(tx -> tx.execute("INSERT INTO c(pid) VALUES (42)")));
            units.add(insertThenUpdate(db, 3));
            hold.complete(null);
            settleAll(units);
            for (CompletableFuture<?> u : units) {
                assertThat(failure(u)).isInstanceOf(SqliteConstraintException.class);
            }
            assertThat(count(db, "t")).isZero();
            assertThat(count(db, "c")).isZero();
            assertThat(await(insertThenUpdate(db, 5))).isPositive();
            assertThat(count(db, "t")).isEqualTo(1);
        }
    }

    @Test
    void explicitCommitReleasesAndExplicitRollbackUndoesOnlyTheUnitsOwnSavepoint() {
        try (Database db = open("txexplicit.db", 64)) {
            AtomicInteger commits = countCommits(db);
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            CompletableFuture<ExecuteResult> before = db.execute("INSERT INTO t(x) VALUES (1)");
            // commit() releases the unit's savepoint at once; the unit is acknowledged after the shared COMMIT.
            CompletableFuture<Void> committed = db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (2)")
                    .thenCompose(r -> tx.commit()));
            CompletableFuture<Void> rolledBack = db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (3)")
                    .thenCompose(r -> tx.rollback()));
            // A nested savepoint of the unit's own: rolled back alone, the unit goes on and commits.
            CompletableFuture<ExecuteResult> nested = db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (4)")
                    .thenCompose(r -> tx.transaction(inner -> inner.execute("INSERT INTO t(x) VALUES (5)")
                            .thenCompose(x -> CompletableFuture.failedFuture(new IllegalStateException("inner")))))
                    .handle((v, e) -> e)
                    .thenCompose(e -> tx.execute("INSERT INTO t(x) VALUES (6)")));
            CompletableFuture<ExecuteResult> after = db.execute("INSERT INTO t(x) VALUES (7)");
            commits.set(0);
            hold.complete(null);
            settleAll(List.of(before, committed, rolledBack, nested, after));
            await(committed);
            assertThat(failure(rolledBack)).isInstanceOf(SqliteException.class).hasMessageContaining("rolled back");
            assertThat(await(nested).rowsUpdated()).isEqualTo(1);
            // The holder's commit, then the batch's.
            assertThat(commits.get()).isEqualTo(2);
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(1L, 2L, 4L, 6L, 7L);
        }
    }

    @Test
    void writingThroughTheDatabaseInsideABatchedTransactionIsRefusedAndOnlyThatUnitFails() {
        try (Database db = open("txinside.db", 64)) {
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            CompletableFuture<ExecuteResult> before = db.execute("INSERT INTO t(x) VALUES (1)");
            CompletableFuture<ExecuteResult> misuse = db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (2)")
                    .thenCompose(r -> db.execute("INSERT INTO t(x) VALUES (3)")));
            CompletableFuture<Object> nestedMisuse = db.transaction(tx -> db.transaction(inner -> null));
            CompletableFuture<ExecuteResult> after = db.execute("INSERT INTO t(x) VALUES (4)");
            hold.complete(null);
            settleAll(List.of(before, misuse, nestedMisuse, after));
            assertThat(failure(misuse)).isInstanceOf(SqliteDeadlockException.class);
            assertThat(failure(nestedMisuse)).isInstanceOf(SqliteDeadlockException.class);
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(1L, 4L);
        }
    }

    @Test
    void anExclusiveTransactionRunsAloneInItsPlaceAndOthersAreBatchedAroundIt() {
        try (Database db = open("txexclusive.db", 64)) {
            AtomicInteger commits = countCommits(db);
            List<CompletableFuture<?>> holders = new ArrayList<>();
            CompletableFuture<Void> hold = holdWriter(db, holders);
            List<CompletableFuture<?>> all = new ArrayList<>();
            all.add(db.execute("INSERT INTO t(x) VALUES (1)"));
            all.add(db.transaction(TransactionMode.DEFERRED, tx -> tx.execute("INSERT INTO t(x) VALUES (2)")));
            all.add(db.transaction(TransactionMode.EXCLUSIVE, tx -> tx.execute("INSERT INTO t(x) VALUES (3)")));
            all.add(db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (4)")));
            all.add(db.execute("INSERT INTO t(x) VALUES (5)"));
            commits.set(0);
            hold.complete(null);
            settleAll(all);
            for (CompletableFuture<?> f : all) {
                await(f);
            }
            // The holder's commit, a batch of two, the exclusive transaction alone, a batch of two.
            assertThat(commits.get()).isEqualTo(4);
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY id"))).extracting(r -> r.getLong(0))
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void aLoneTransactionUnitCommitsAtOnce() {
        try (Database db = open("txlone.db", 64)) {
            AtomicInteger commits = countCommits(db);
            for (int i = 0; i < 10; i++) {
                long id = await(insertThenUpdate(db, i));
                assertThat(commits.get()).isEqualTo(i + 1);
                assertThat(await(db.fetchOne("SELECT x FROM t WHERE id = ?", id)).getLong(0)).isEqualTo(1000 + i);
            }
        }
    }

    @Test
    void withACompletionExecutorAHookFailureInTheSharedCommitStillFailsTheTransactionUnits() throws Exception {
        java.util.concurrent.ExecutorService completions = java.util.concurrent.Executors.newFixedThreadPool(4);
        try (Database db = await(Database.open(DatabaseOptions.builder(dir.resolve("txexecutor.db").toString())
                .readers(1).groupCommit(true).completionExecutor(completions).build()))) {
            await(db.executeScript("CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER UNIQUE);"
                    + " CREATE TABLE holder(id INTEGER PRIMARY KEY)"));
            java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
            await(db.setCommitHook(() -> {
                if (armed.get()) {
                    throw new IllegalStateException("hook refuses");
                }
                return null;
            }));
            for (int round = 0; round < 2; round++) {
                boolean refuse = round == 1;
                List<CompletableFuture<?>> holders = new ArrayList<>();
                CompletableFuture<Void> hold = holdWriter(db, holders);
                List<CompletableFuture<?>> units = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    // Each unit's statements complete on the executor: the batch goes on in several writer calls.
                    units.add(insertThenUpdate(db, round * 100 + i));
                    units.add(db.execute("INSERT INTO t(x) VALUES (?)", round * 100 + 50 + i));
                }
                armed.set(refuse);
                hold.complete(null);
                settleAll(holders);
                settleAll(units);
                armed.set(false);
                for (CompletableFuture<?> u : units) {
                    if (refuse) {
                        assertThat(failure(u)).hasStackTraceContaining("hook refuses");
                    } else {
                        await(u);
                    }
                }
            }
            // As for a single write: the hook's failure fails the calls, the commit itself stands.
            assertThat(count(db, "t")).isEqualTo(16);
        } finally {
            completions.shutdownNow();
        }
    }
}
