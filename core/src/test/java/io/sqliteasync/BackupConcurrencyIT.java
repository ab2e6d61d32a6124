package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup shares its connection between steps: calls queued during it run before it ends, writes go into the copy,
 * and a Database's writer commits while its reader copies. Shown by ordering, never by timing.
 */
class BackupConcurrencyIT {
    static final long HANG = 60;

    @TempDir
    Path dir;

    /** About 600 pages of 4 KiB. */
    static void fill(BlockingSqlClient db) {
        db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, pad BLOB)");
        db.execute("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000)"
                + " INSERT INTO t(id, pad) SELECT i, randomblob(1000) FROM c");
    }

    /** A listener that, at its first call, says so and waits until the test lets it go on. */
    static final class Gate implements java.util.function.Consumer<BackupProgress> {
        final CompletableFuture<Void> reached = new CompletableFuture<>();
        final CompletableFuture<Void> release = new CompletableFuture<>();
        final List<BackupProgress> events = new CopyOnWriteArrayList<>();
        volatile Runnable onEach = () -> { };

        @Override
        public void accept(BackupProgress p) {
            events.add(p);
            onEach.run();
            if (events.size() == 1) {
                reached.complete(null);
                release.orTimeout(HANG, TimeUnit.SECONDS).join();
            }
        }
    }

    @Test
    void aQuerySubmittedDuringABackupCompletesBeforeTheBackupEnds() throws Exception {
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("s.db").toString()).join()) {
            fill(db.blocking());
            Gate gate = new Gate();
            AtomicInteger stepWhenQueryRan = new AtomicInteger(-1);
            CompletableFuture<BackupProgress> backup = db.backup(dir.resolve("copy.db"),
                    BackupOptions.builder().pagesPerStep(10).listener(gate).build());
            gate.reached.get(HANG, TimeUnit.SECONDS);

            CompletableFuture<Row> query = db.fetchOne("SELECT count(*) FROM t");
            query.thenRun(() -> stepWhenQueryRan.set(gate.events.size()));
            gate.release.complete(null);

            assertThat(query.get(HANG, TimeUnit.SECONDS).getLong(0)).isEqualTo(2000);
            BackupProgress last = backup.get(HANG, TimeUnit.SECONDS);
            // The query ran between the first and the second step, while most of the copy was still to do.
            assertThat(stepWhenQueryRan.get()).isEqualTo(1);
            assertThat(last.step()).isGreaterThan(10);
            assertThat(gate.events).last().matches(BackupProgress::done);
        }
    }

    @Test
    void aWriteThroughTheSameConnectionBetweenStepsIsInTheCopy() throws Exception {
        Path copy = dir.resolve("copy.db");
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("s.db").toString()).join()) {
            fill(db.blocking());
            Gate gate = new Gate();
            CompletableFuture<BackupProgress> backup = db.backup(copy,
                    BackupOptions.builder().pagesPerStep(10).listener(gate).build());
            gate.reached.get(HANG, TimeUnit.SECONDS);
            CompletableFuture<ExecuteResult> write = db.execute("INSERT INTO t(id, pad) VALUES (5000, 'late')");
            CompletableFuture<ExecuteResult> update = db.execute("UPDATE t SET pad = 'changed' WHERE id = 1");
            gate.release.complete(null);

            backup.get(HANG, TimeUnit.SECONDS);
            assertThat(write.isDone() && update.isDone()).isTrue();
        }
        try (AsyncConnection c = AsyncConnection.open(copy.toString()).join()) {
            assertThat(c.fetchOne("PRAGMA integrity_check").join().getString(0)).isEqualTo("ok");
            assertThat(c.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isEqualTo(2001);
            assertThat(c.fetchOne("SELECT pad FROM t WHERE id = 1").join().getString(0)).isEqualTo("changed");
        }
    }

    @Test
    void aTransactionBegunBetweenStepsEndsBeforeTheNextStep() throws Exception {
        Path copy = dir.resolve("copy.db");
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("s.db").toString()).join()) {
            fill(db.blocking());
            Gate gate = new Gate();
            CompletableFuture<BackupProgress> backup = db.backup(copy,
                    BackupOptions.builder().pagesPerStep(10).listener(gate).build());
            gate.reached.get(HANG, TimeUnit.SECONDS);
            CompletableFuture<Integer> tx = db.transaction(t -> t.execute("INSERT INTO t(id) VALUES (6000)")
                    .thenCompose(r -> t.execute("INSERT INTO t(id) VALUES (6001)")).thenApply(r -> 2));
            gate.release.complete(null);

            assertThat(tx.get(HANG, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(backup.get(HANG, TimeUnit.SECONDS).done()).isTrue();
        }
        try (AsyncConnection c = AsyncConnection.open(copy.toString()).join()) {
            assertThat(c.fetchOne("SELECT count(*) FROM t WHERE id >= 6000").join().getLong(0)).isEqualTo(2);
        }
    }

    @Test
    void writersCommitDuringADatabaseBackupAndTheCopyHoldsEveryRowCommittedBeforeItsLastStep() throws Exception {
        Path copy = dir.resolve("copy.db");
        try (Database db = Database.open(dir.resolve("wal.db").toString()).join()) {
            fill(db.blocking());
            AtomicInteger committed = new AtomicInteger();
            AtomicReference<Integer> committedAtFirst = new AtomicReference<>();
            AtomicReference<Integer> committedAtLast = new AtomicReference<>();
            Gate gate = new Gate();
            gate.onEach = () -> {
                committedAtFirst.compareAndSet(null, committed.get());
                committedAtLast.set(committed.get());
            };
            CompletableFuture<BackupProgress> backup = db.backup(copy,
                    BackupOptions.builder().pagesPerStep(20).listener(gate).build());
            gate.reached.get(HANG, TimeUnit.SECONDS);
            // The reader is between its first and second step; the writer commits meanwhile.
            for (int i = 0; i < 50; i++) {
                db.execute("INSERT INTO t(id, pad) VALUES (?, 'during')", 10_000 + i).get(HANG, TimeUnit.SECONDS);
                committed.incrementAndGet();
            }
            gate.release.complete(null);
            BackupProgress last = backup.get(HANG, TimeUnit.SECONDS);

            assertThat(committedAtFirst.get()).isZero();
            assertThat(committedAtLast.get()).isEqualTo(50);
            assertThat(last.restarts()).isEqualTo(1);
        }
        try (AsyncConnection c = AsyncConnection.open(copy.toString()).join()) {
            assertThat(c.fetchOne("PRAGMA integrity_check").join().getString(0)).isEqualTo("ok");
            assertThat(c.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isEqualTo(2050);
        }
    }

    @Test
    void underAStreamOfCommitsADatabaseBackupPinsASnapshotAndFinishes() throws Exception {
        Path copy = dir.resolve("copy.db");
        AtomicReference<Integer> committedAtPin = new AtomicReference<>();
        try (Database db = Database.open(dir.resolve("wal.db").toString()).join()) {
            fill(db.blocking());
            AtomicInteger committed = new AtomicInteger();
            List<BackupProgress> events = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> stop = new CompletableFuture<>();
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.isDone(); i++) {
                    db.execute("INSERT INTO t(id, pad) VALUES (?, 'stream')", 100_000 + i).join();
                    committed.incrementAndGet();
                }
            });
            // Each step waits for one more commit, so every step after the first sees the source changed.
            BackupOptions options = BackupOptions.builder().pagesPerStep(20).maxRestarts(2).listener(p -> {
                events.add(p);
                int seen = committed.get();
                if (p.restarts() == 2) {
                    committedAtPin.compareAndSet(null, seen);
                }
                while (committedAtPin.get() == null && committed.get() == seen && !stop.isDone()) {
                    Thread.onSpinWait();
                }
            }).build();
            writer.start();
            try {
                BackupProgress last = db.backup(copy, options).get(HANG, TimeUnit.SECONDS);
                assertThat(last.done()).isTrue();
                assertThat(last.restarts()).isBetween(2, 3);
            } finally {
                stop.complete(null);
                writer.join(TimeUnit.SECONDS.toMillis(HANG));
            }
            assertThat(committed.get()).isGreaterThan(committedAtPin.get());
        }
        try (AsyncConnection c = AsyncConnection.open(copy.toString()).join()) {
            assertThat(c.fetchOne("PRAGMA integrity_check").join().getString(0)).isEqualTo("ok");
            assertThat(c.fetchOne("SELECT count(*) FROM t WHERE id <= 2000").join().getLong(0)).isEqualTo(2000);
            // Every commit made before the snapshot was pinned is in the copy.
            assertThat(c.fetchOne("SELECT count(*) FROM t WHERE id >= 100000").join().getLong(0))
                    .isGreaterThanOrEqualTo(committedAtPin.get());
        }
    }

    @Test
    void cancellingABackupBetweenStepsStopsItAndLeavesNoFile() throws Exception {
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("s.db").toString()).join()) {
            fill(db.blocking());
            Gate gate = new Gate();
            Path target = dir.resolve("copy.db");
            CompletableFuture<BackupProgress> backup = db.backup(target,
                    BackupOptions.builder().pagesPerStep(10).listener(gate).build());
            gate.reached.get(HANG, TimeUnit.SECONDS);
            backup.cancel(false);
            gate.release.complete(null);

            // the worker is done with it once a later call runs
            assertThat(db.fetchOne("SELECT count(*) FROM t").get(HANG, TimeUnit.SECONDS).getLong(0)).isEqualTo(2000);
            assertThat(gate.events).hasSize(1);
            assertThat(target).doesNotExist();
            assertThat(parts()).isEmpty();
        }
    }

    @Test
    void aDeadlineHitBetweenStepsStopsTheBackupAndLeavesNoFile() throws Exception {
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("s.db").toString()).join()) {
            fill(db.blocking());
            Path target = dir.resolve("copy.db");
            List<BackupProgress> events = new CopyOnWriteArrayList<>();
            // The first step's listener waits until the deadline has passed.
            BackupOptions options = BackupOptions.builder().pagesPerStep(10).listener(p -> {
                events.add(p);
                while (Deadline.remaining().toNanos() > 0) {
                    Thread.onSpinWait();
                }
            }).build();
            CompletableFuture<BackupProgress> backup = Deadline.within(java.time.Duration.ofMillis(200),
                    () -> db.backup(target, options));

            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> backup.get(HANG, TimeUnit.SECONDS));
            assertThat(t).hasCauseInstanceOf(SqliteTimeoutException.class);
            assertThat(db.fetchOne("SELECT count(*) FROM t").get(HANG, TimeUnit.SECONDS).getLong(0)).isEqualTo(2000);
            assertThat(events).hasSize(1);
            assertThat(target).doesNotExist();
            assertThat(parts()).isEmpty();
        }
    }

    @Test
    void cancellingADatabaseBackupStopsIt() throws Exception {
        try (Database db = Database.open(dir.resolve("wal.db").toString()).join()) {
            fill(db.blocking());
            Gate gate = new Gate();
            Path target = dir.resolve("copy.db");
            CompletableFuture<BackupProgress> backup = db.backup(target,
                    BackupOptions.builder().pagesPerStep(10).maxRestarts(0).listener(gate).build());
            gate.reached.get(HANG, TimeUnit.SECONDS);
            backup.cancel(false);
            gate.release.complete(null);

            // every reader answers again, and the writer still writes
            for (int i = 0; i < 8; i++) {
                assertThat(db.fetchOne("SELECT count(*) FROM t").get(HANG, TimeUnit.SECONDS).getLong(0))
                        .isEqualTo(2000);
            }
            db.execute("INSERT INTO t(id) VALUES (9999)").get(HANG, TimeUnit.SECONDS);
            assertThat(gate.events).hasSize(1);
            assertThat(target).doesNotExist();
            assertThat(parts()).isEmpty();
        }
    }

    @Test
    void interruptStopsARunningBackup() throws Exception {
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("s.db").toString()).join()) {
            fill(db.blocking());
            Gate gate = new Gate();
            Path target = dir.resolve("copy.db");
            CompletableFuture<BackupProgress> backup = db.backup(target,
                    BackupOptions.builder().pagesPerStep(10).listener(gate).build());
            gate.reached.get(HANG, TimeUnit.SECONDS);
            assertThat(db.interrupt()).isTrue();
            gate.release.complete(null);

            SqliteException e = OperationsIT.failure(backup);
            assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_INTERRUPT);
            assertThat(gate.events).hasSize(1);
            assertThat(target).doesNotExist();
            assertThat(db.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isEqualTo(2000);
        }
    }

    private List<Path> parts() throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".part")).toList();
        }
    }
}
