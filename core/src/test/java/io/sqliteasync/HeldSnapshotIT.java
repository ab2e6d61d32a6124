package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.count;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots held across calls: {@link Database#beginRead()} and {@link Snapshot#close()}. */
@Timeout(60)
class HeldSnapshotIT {
    @TempDir
    Path dir;

    private Database open(DatabaseOptions.Builder b) {
        Database db = await(Database.open(b.build()));
        await(db.execute("CREATE TABLE t(x INTEGER)"));
        await(db.execute("INSERT INTO t(x) VALUES (1)"));
        return db;
    }

    @Test
    void aHeldSnapshotSeesOneStateUntilClosedAndThenGivesTheReaderBack() {
        for (String path : new String[] {dir.resolve("a.db").toString(), ":memory:"}) {
            try (Database db = open(DatabaseOptions.builder(path).readers(1))) {
                Snapshot s = await(db.beginRead());
                assertThat(await(s.fetchOne("SELECT count(*) FROM t")).getLong(0)).isEqualTo(1);
                CompletableFuture<ExecuteResult> write = db.execute("INSERT INTO t(x) VALUES (2)");
                if (db.isWal()) {
                    // The writer does not wait for the reader; the snapshot does not see its commit.
                    await(write);
                    assertThat(await(s.fetchOne("SELECT count(*) FROM t")).getLong(0)).isEqualTo(1);
                }
                await(s.closeAsync());
                assertThat(s.isActive()).isFalse();
                assertThat(failure(s.fetchOne("SELECT count(*) FROM t"))).isInstanceOf(SqliteException.class)
                        .hasMessageContaining("has ended");
                await(write);
                // The only reader (or, on one shared connection, the writer) is free again, with query_only lifted.
                assertThat(count(db, "t")).isEqualTo(2);
                await(db.execute("INSERT INTO t(x) VALUES (3)"));
                assertThat(count(db, "t")).isEqualTo(3);
            }
        }
    }

    @Test
    void aHeldSnapshotRefusesWrites() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("w.db").toString()));
                Snapshot s = await(db.beginRead())) {
            Throwable e = failure(s.execute("INSERT INTO t(x) VALUES (2)"));
            assertThat(e).isInstanceOf(SqliteException.class);
            assertThat(((SqliteException) e).resultCode()).isEqualTo(SqliteException.SQLITE_READONLY);
            assertThat(failure(s.fetchAll("INSERT INTO t(x) VALUES (2) RETURNING x")))
                    .isInstanceOf(SqliteException.class);
        }
    }

    @Test
    void closingTwiceEndsTheReadTransactionOnce() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("c.db").toString()).readers(1))) {
            Snapshot s = await(db.beginRead());
            s.close();
            await(s.closeAsync());
            await(s.closeAsync());
            assertThat(count(db, "t")).isEqualTo(1);
            assertThat(db.stats().readersBusy()).isZero();
        }
    }

    @Test
    void aHeldSnapshotLeftOpenIsEndedByTheTransactionTimeout() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("to.db").toString()).readers(1)
                .transactionTimeout(Duration.ofMillis(200)))) {
            Snapshot s = await(db.beginRead());
            Cursor c = await(s.cursor("SELECT x FROM t"));
            // The bound only catches a hang.
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (db.stats().transactionTimeouts() == 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertThat(db.stats().transactionTimeouts()).isEqualTo(1);
            assertThat(failure(s.fetchOne("SELECT count(*) FROM t"))).isInstanceOf(SqliteException.class)
                    .hasMessageContaining("transactionTimeout");
            // The timeout counts before it has closed the snapshot's cursors on the worker; closeAsync() after the
            // timeout does nothing but wait for that end, so the cursor seen closed here was closed by the timeout.
            await(s.closeAsync());
            assertThat(failure(c.fetchMany(10))).isInstanceOf(SqliteException.class);
            // The reader went back: the only one serves the next query.
            assertThat(count(db, "t")).isEqualTo(1);
        }
    }

    @Test
    void cancellingABeginReadThatWaitsForAReaderWithdrawsIt() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("q.db").toString()).readers(1))) {
            Snapshot first = await(db.beginRead());
            CompletableFuture<Snapshot> second = db.beginRead();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (db.stats().readerQueueLength() == 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertThat(second.cancel(false)).isTrue();
            await(first.closeAsync());
            assertThat(failure(second)).isInstanceOf(CancellationException.class);
            try (Snapshot third = await(db.beginRead())) {
                assertThat(await(third.fetchOne("SELECT count(*) FROM t")).getLong(0)).isEqualTo(1);
            }
        }
    }

    @Test
    void closeAsyncOnTheSnapshotOfReadFnIsRefusedAndCloseDoesNothing() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("r.db").toString()))) {
            long n = await(db.read(s -> {
                s.close();
                return s.closeAsync().handle((v, e) -> e)
                        .thenCompose(e -> {
                            assertThat(e).isInstanceOf(SqliteException.class).hasMessageContaining("read(fn)");
                            return s.fetchOne("SELECT count(*) FROM t");
                        })
                        .thenApply(r -> r.getLong(0));
            }));
            assertThat(n).isEqualTo(1);
        }
    }

    @Test
    void beginReadInsideATransactionOnOneSharedConnectionIsRefused() {
        try (Database db = open(DatabaseOptions.builder(":memory:"))) {
            Throwable e = failure(db.transaction(tx -> db.beginRead().thenApply(s -> 0)));
            assertThat(e).isInstanceOf(SqliteDeadlockException.class);
            assertThat(count(db, "t")).isEqualTo(1);
        }
    }
}
