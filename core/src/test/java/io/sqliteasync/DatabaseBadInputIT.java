package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.count;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseBadInputIT {
    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = await(Database.open(DatabaseOptions.builder(dir.resolve("b.db").toString()).readers(2)
                .acquireTimeout(Duration.ofMillis(300)).build()));
        await(db.executeScript("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void stillWorks() {
        long before = count(db, "t");
        await(db.transaction(tx -> tx.execute("INSERT INTO t(v) VALUES ('ok')")));
        assertThat(count(db, "t")).isEqualTo(before + 1);
        assertThat(await(db.read(s -> s.fetchOne("SELECT count(*) FROM t"))).getLong(0)).isEqualTo(before + 1);
    }

    @Test
    void aWriteSentToAReaderSaysToUseExecuteOrTransaction() {
        Throwable plain = failure(db.fetchAll("INSERT INTO t(v) VALUES ('x') RETURNING id"));
        assertThat(plain).isInstanceOf(SqliteException.class)
                .hasMessageContaining("cannot write through a reader")
                .hasMessageContaining("Database.execute").hasMessageContaining("transaction");
        assertThat(((SqliteException) plain).resultCode()).isEqualTo(SqliteException.SQLITE_READONLY);
        Throwable inRead = failure(db.read(s -> s.fetchAll("DELETE FROM t RETURNING id")));
        assertThat(inRead).hasMessageContaining("cannot write through a reader");
        Throwable cursor = failure(db.cursor("UPDATE t SET v = 'y' RETURNING id"));
        assertThat(cursor).hasMessageContaining("cannot write through a reader");
        assertThat(count(db, "t")).isZero();
        stillWorks();
    }

    @Test
    void commitOrBeginThroughExecuteIsRefused() {
        Throwable commit = failure(db.execute("COMMIT"));
        assertThat(commit).isInstanceOf(SqliteException.class).hasMessageContaining("COMMIT outside a transaction")
                .hasMessageContaining("transaction(fn)");
        assertThat(failure(db.execute("  rollback"))).hasMessageContaining("ROLLBACK outside a transaction");
        assertThat(failure(db.execute("BEGIN IMMEDIATE"))).hasMessageContaining("transaction(fn)");
        assertThat(failure(db.executeMany("SAVEPOINT x", List.of(new Object[0])))).hasMessageContaining(
                "transaction(fn)");
        Throwable script = failure(db.executeScript("BEGIN; INSERT INTO t(v) VALUES ('x');"));
        assertThat(script).hasMessageContaining("left a transaction open");
        assertThat(count(db, "t")).isZero();
        stillWorks();
    }

    @Test
    void beginOrCommitInsideATransactionIsRefusedAndTheTransactionRollsBack() {
        Throwable begin = failure(db.transaction(tx -> tx.execute("INSERT INTO t(v) VALUES ('x')")
                .thenCompose(r -> tx.execute("BEGIN"))));
        assertThat(begin).hasMessageContaining("BEGIN inside a transaction").hasMessageContaining("tx.transaction");
        Throwable commit = failure(db.transaction(tx -> tx.execute("INSERT INTO t(v) VALUES ('x')")
                .thenCompose(r -> tx.execute("COMMIT"))));
        assertThat(commit).hasMessageContaining("COMMIT by hand");
        Throwable script = failure(db.transaction(tx -> tx.execute("INSERT INTO t(v) VALUES ('x')")
                .thenCompose(r -> tx.executeScript("COMMIT; INSERT INTO t(v) VALUES ('y')"))));
        assertThat(script).hasMessageContaining("ended the transaction");
        // The script's COMMIT did commit 'x' and ran the insert of 'y' in autocommit mode: SQLite's own rules.
        // What matters is that the pool recovers and the writer is not left in a transaction.
        await(db.execute("DELETE FROM t"));
        stillWorks();
    }

    @Test
    void acquireTimeoutIsAClearErrorAndThePoolRecovers() {
        CompletableFuture<Void> hold = new CompletableFuture<>();
        CompletableFuture<Void> holding = new CompletableFuture<>();
        CompletableFuture<Void> tx = db.transaction(t -> {
            holding.complete(null);
            return hold;
        });
        await(holding);
        Throwable e = failure(db.execute("INSERT INTO t(v) VALUES ('x')"));
        assertThat(e).isInstanceOf(SqliteTimeoutException.class).hasMessageContaining("could not acquire the writer")
                .hasMessageContaining("acquireTimeout");
        assertThat(db.stats().acquireTimeouts()).isEqualTo(1);
        assertThat(db.stats().writerBusy()).isTrue();
        hold.complete(null);
        await(tx);
        stillWorks();
        assertThat(db.stats().writerQueueLength()).isZero();
    }

    @Test
    void readerAcquireTimeout() {
        CompletableFuture<Void> hold = new CompletableFuture<>();
        CompletableFuture<Void> r1 = db.read(s -> hold);
        CompletableFuture<Void> r2 = db.read(s -> hold);
        Throwable e = failure(db.fetchAll("SELECT * FROM t"));
        assertThat(e).isInstanceOf(SqliteTimeoutException.class).hasMessageContaining("could not acquire a reader");
        assertThat(db.stats().readersBusy()).isEqualTo(2);
        hold.complete(null);
        await(r1);
        await(r2);
        stillWorks();
    }

    @Test
    void aCancelledWaiterLeavesTheQueue() {
        CompletableFuture<Void> hold = new CompletableFuture<>();
        CompletableFuture<Void> tx = db.transaction(t -> hold);
        CompletableFuture<ExecuteResult> waiting = db.execute("INSERT INTO t(v) VALUES ('never')");
        assertThat(db.stats().writerQueueLength()).isEqualTo(1);
        waiting.cancel(false);
        assertThat(db.stats().writerQueueLength()).isZero();
        hold.complete(null);
        await(tx);
        stillWorks();
        assertThat(await(db.fetchAll("SELECT v FROM t"))).extracting(r -> r.getString(0)).containsExactly("ok");
    }

    @Test
    void callsAfterCloseFailWithSqliteClosedException() {
        db.close();
        db.close();
        assertThat(db.isClosed()).isTrue();
        assertThat(failure(db.execute("INSERT INTO t(v) VALUES ('x')"))).isInstanceOf(SqliteClosedException.class)
                .hasMessageContaining("closed");
        assertThat(failure(db.fetchAll("SELECT 1"))).isInstanceOf(SqliteClosedException.class);
        assertThat(failure(db.transaction(tx -> tx.execute("SELECT 1")))).isInstanceOf(SqliteClosedException.class);
        assertThat(failure(db.read(s -> s.fetchAll("SELECT 1")))).isInstanceOf(SqliteClosedException.class);
        assertThat(failure(db.cursor("SELECT 1"))).isInstanceOf(SqliteClosedException.class);
        assertThat(failure(db.checkpoint())).isInstanceOf(SqliteClosedException.class);
        assertThat(await(db.closeAsync())).isNull();
    }

    @Test
    void closeWaitsForQueuedWorkAndLeavesNoThreads() {
        String writerThread = await(db.transaction(t -> CompletableFuture.completedFuture(
                Thread.currentThread().getName())));
        assertThat(writerThread).matches("sqlite-async-writer-\\d+");
        String id = writerThread.substring("sqlite-async-writer-".length());
        CompletableFuture<Void> hold = new CompletableFuture<>();
        CompletableFuture<Void> tx = db.transaction(t -> t.execute("INSERT INTO t(v) VALUES ('tx')")
                .thenCompose(r -> hold));
        CompletableFuture<ExecuteResult> queued = db.execute("INSERT INTO t(v) VALUES ('queued')");
        CompletableFuture<Void> closing = db.closeAsync();
        assertThat(closing).isNotDone();
        hold.complete(null);
        await(tx);
        await(queued);
        await(closing);
        // closeAsync completes as each worker is about to end, not after: wait for the threads themselves to end
        // (the bound only catches a hang).
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(writerThread) || t.getName().startsWith("sqlite-async-reader-" + id + ".")) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(60));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                && (t.getName().equals(writerThread) || t.getName().startsWith("sqlite-async-reader-" + id + ".")));
        Database again = await(Database.open(dir.resolve("b.db").toString()));
        try {
            assertThat(count(again, "t")).isEqualTo(2);
        } finally {
            again.close();
        }
    }

    @Test
    void badOptionsAreRejected() {
        assertThatThrownBy(() -> DatabaseOptions.builder("x.db").readers(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readers");
        assertThatThrownBy(() -> DatabaseOptions.builder("x.db").synchronous("NORMAL; DROP").build())
                .isInstanceOf(IllegalArgumentException.class);
        Throwable e = failure(Database.open(DatabaseOptions.builder(dir.resolve("i.db").toString())
                .initializer((c, w) -> {
                    throw new java.sql.SQLException("init failed");
                }).build()));
        assertThat(e).hasMessageContaining("init failed");
    }
}
