package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Races between the pool, deadlines, cancellation and close in {@link Database}. */
class DatabaseRaceIT {
    @TempDir
    Path dir;

    /**
     * The deadline of a transaction's BEGIN job passing while that job runs the user's function used to release the
     * writer from the deadline timer, and then a second time when the transaction rolled back: two holders at once.
     */
    @Test
    void deadlinePassingWhileTheTransactionBeginsReleasesTheWriterOnce() throws Exception {
        try (Database db = Database.open(DatabaseOptions.builder(dir.resolve("d.db").toString()).readers(1).build())
                .join()) {
            db.execute("CREATE TABLE t(x)").join();
            CompletableFuture<CompletableFuture<Object>> outKnown = new CompletableFuture<>();
            CompletableFuture<Object> out = Deadline.within(Duration.ofMillis(100), () -> db.transaction(tx -> {
                CompletableFuture<Object> self = outKnown.join();
                // Stay inside the BEGIN job past the deadline; the caller must not be told anything meanwhile.
                try {
                    self.get(600, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    // timed out waiting (expected) or completed early (the bug)
                }
                return tx.execute("INSERT INTO t VALUES (0)").thenApply(r -> (Object) r);
            }));
            outKnown.complete(out);
            assertThatThrownBy(() -> out.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SqliteTimeoutException.class);

            CompletableFuture<Transaction> holder = new CompletableFuture<>();
            CompletableFuture<Void> gate = new CompletableFuture<>();
            CompletableFuture<Void> a = db.transaction(tx -> {
                holder.complete(tx);
                return gate;
            });
            Transaction tx = holder.get(10, TimeUnit.SECONDS);
            CompletableFuture<ExecuteResult> plain = db.execute("INSERT INTO t VALUES (1)");
            // Queued on the writer after the plain write, if that write (wrongly) got the writer too.
            assertThat(tx.fetchOne("SELECT count(*) FROM t").get(10, TimeUnit.SECONDS).getLong(0)).isZero();
            assertThat(plain).isNotDone();
            assertThat(db.stats().writerQueueLength()).isEqualTo(1);
            gate.complete(null);
            a.get(10, TimeUnit.SECONDS);
            plain.get(10, TimeUnit.SECONDS);
            assertThat(db.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isEqualTo(1);
        }
    }

    /**
     * A call that passed the closed check just before closeAsync took every connection used to queue behind the
     * close's own leases, which are never released: its future never completed.
     */
    @Test
    void aCallRacingWithCloseFailsInsteadOfWaitingForever() throws Exception {
        Database db = Database.open(DatabaseOptions.builder(dir.resolve("c.db").toString()).readers(1).build())
                .join();
        db.execute("CREATE TABLE t(x)").join();
        CountDownLatch inCapture = new CountDownLatch(1);
        CountDownLatch closing = new CountDownLatch(1);
        AtomicReference<CompletableFuture<ExecuteResult>> write = new AtomicReference<>();
        Thread racer = new Thread(() -> write.set(db.execute("INSERT INTO t VALUES (1)")), "racer");
        // The context capture sits between Database's closed check and its pool acquire: pause there.
        ThreadLocal<Object> pausing = new ThreadLocal<>() {
            @Override
            public Object get() {
                if (Thread.currentThread() == racer && inCapture.getCount() > 0) {
                    inCapture.countDown();
                    try {
                        closing.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.get();
            }
        };
        ContextPropagation.register(pausing);
        try {
            racer.start();
            assertThat(inCapture.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closed = db.closeAsync();
            closing.countDown();
            closed.get(10, TimeUnit.SECONDS);
            racer.join(10_000);
            CompletableFuture<ExecuteResult> w = write.get();
            assertThatThrownBy(() -> w.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SqliteClosedException.class);
        } finally {
            ContextPropagation.unregister(pausing);
            db.close();
        }
    }

    /** A cursor whose future was cancelled while it opened used to stay open on the reader, holding its snapshot. */
    @Test
    void aCursorCancelledWhileOpeningIsClosed() throws Exception {
        try (Database db = Database.open(DatabaseOptions.builder(dir.resolve("k.db").toString()).readers(1)
                .busyTimeout(Duration.ofMillis(200)).build()).join()) {
            db.execute("CREATE TABLE t(x)").join();
            db.execute("INSERT INTO t VALUES (1), (2), (3)").join();
            AtomicReference<CompletableFuture<CompletableFuture<Cursor>>> target = new AtomicReference<>();
            db.createFunction("give_up", 0, args -> {
                CompletableFuture<CompletableFuture<Cursor>> t = target.getAndSet(null);
                if (t != null) {
                    t.get(10, TimeUnit.SECONDS).cancel(false);
                }
                return 1;
            }).join();
            CompletableFuture<CompletableFuture<Cursor>> known = new CompletableFuture<>();
            target.set(known);
            CompletableFuture<Cursor> cursor = db.cursor("SELECT x, give_up() FROM t");
            known.complete(cursor);
            assertThat(cursor).failsWithin(Duration.ofSeconds(10));
            assertThat(cursor).isCancelled();
            // Runs on the same (only) reader after the cursor's job.
            db.fetchOne("SELECT 1").join();
            db.execute("INSERT INTO t VALUES (4)").join();
            assertThat(db.checkpoint(CheckpointMode.TRUNCATE).join().busy()).isFalse();
        }
    }

    /** The same for a cursor opened through a transaction: it must not outlive the cancelled call. */
    @Test
    void aTransactionCursorCancelledWhileOpeningIsClosed() throws Exception {
        try (Database db = Database.open(DatabaseOptions.builder(dir.resolve("x.db").toString()).readers(1)
                        .build()).join()) {
            db.execute("CREATE TABLE t(x)").join();
            db.execute("INSERT INTO t VALUES (1), (2), (3)").join();
            AtomicReference<CompletableFuture<CompletableFuture<Cursor>>> target = new AtomicReference<>();
            db.createFunction("give_up", 0, args -> {
                CompletableFuture<CompletableFuture<Cursor>> t = target.getAndSet(null);
                if (t != null) {
                    t.get(10, TimeUnit.SECONDS).cancel(false);
                }
                return 1;
            }).join();
            CompletableFuture<Transaction> holder = new CompletableFuture<>();
            CompletableFuture<Void> gate = new CompletableFuture<>();
            CompletableFuture<Void> txn = db.transaction(tx -> {
                holder.complete(tx);
                return gate;
            });
            Transaction tx = holder.get(10, TimeUnit.SECONDS);
            CompletableFuture<CompletableFuture<Cursor>> known = new CompletableFuture<>();
            target.set(known);
            CompletableFuture<Cursor> cursor = tx.cursor("SELECT x, give_up() FROM t");
            known.complete(cursor);
            assertThat(cursor).failsWithin(Duration.ofSeconds(10));
            // An active statement makes DROP TABLE fail on the same connection.
            tx.execute("DROP TABLE t").get(10, TimeUnit.SECONDS);
            gate.complete(null);
            txn.get(10, TimeUnit.SECONDS);
        }
    }
    /**
     * A statement stopped by the caller's deadline inline inside fn used to make the rollback run inline under the same
     * expired deadline, so it was skipped: the writer went back to the pool with the transaction still open, and
     * later plain writes ran inside it, never committed.
     */
    @Test
    void aTransactionFailedByItsDeadlineIsRolledBackBeforeTheWriterIsReleased() throws Exception {
        String file = dir.resolve("r.db").toString();
        try (Database db = Database.open(DatabaseOptions.builder(file).readers(1).build()).join();
                AsyncConnection probe = AsyncConnection.open(file).join()) {
            db.execute("CREATE TABLE t(x)").join();
            CompletableFuture<Object> out = Deadline.within(Duration.ofMillis(150), () -> db.transaction(tx ->
                    tx.execute("INSERT INTO t VALUES (1)").thenCompose(r -> tx.fetchOne("WITH RECURSIVE c(n) AS"
                            + " (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c"))
                            .thenApply(r -> (Object) r)));
            assertThatThrownBy(() -> out.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SqliteTimeoutException.class);
            db.execute("INSERT INTO t VALUES (2)").get(10, TimeUnit.SECONDS);
            assertThat(probe.fetchAll("SELECT x FROM t").join()).extracting(r -> r.getLong(0)).containsExactly(2L);
        }
    }
}
