package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.count;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTransactionIT {
    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = await(Database.open(DatabaseOptions.builder(dir.resolve("t.db").toString()).readers(2)
                .transactionTimeout(Duration.ofSeconds(20)).build()));
        await(db.executeScript("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);"
                + "CREATE TABLE parent(id INTEGER PRIMARY KEY);"
                + "CREATE TABLE child(id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent(id));"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void commitsWhenTheStageCompletes() {
        Long id = await(db.transaction(tx -> tx.execute("INSERT INTO t(v) VALUES ('a')")
                .thenCompose(r -> tx.execute("INSERT INTO t(v) VALUES ('b')"))
                .thenApply(ExecuteResult::lastInsertRowid)));
        assertThat(id).isEqualTo(2L);
        assertThat(count(db, "t")).isEqualTo(2);
        assertThat(db.stats().writerBusy()).isFalse();
    }

    @Test
    void rollsBackWhenTheFunctionThrowsOrTheStageFails() {
        IllegalStateException boom = new IllegalStateException("boom");
        Throwable thrown = failure(db.transaction(tx -> {
            tx.execute("INSERT INTO t(v) VALUES ('a')").join();
            throw boom;
        }));
        assertThat(thrown).isSameAs(boom);
        Throwable failed = failure(db.transaction(tx -> tx.execute("INSERT INTO t(v) VALUES ('a')")
                .thenCompose(r -> tx.execute("INSERT INTO nowhere VALUES (1)"))));
        assertThat(failed).isInstanceOf(SqliteException.class).hasMessageContaining("nowhere");
        assertThat(count(db, "t")).isZero();
        // The writer is free again and not left inside a transaction.
        await(db.execute("INSERT INTO t(v) VALUES ('after')"));
        assertThat(count(db, "t")).isEqualTo(1);
    }

    @Test
    void rollsBackWhenCancelled() {
        CompletableFuture<Void> inserted = new CompletableFuture<>();
        CompletableFuture<Object> tx = db.transaction(t -> t.execute("INSERT INTO t(v) VALUES ('a')")
                .thenCompose(r -> {
                    inserted.complete(null);
                    return new CompletableFuture<>();
                }));
        await(inserted);
        CompletableFuture<ExecuteResult> queued = db.execute("INSERT INTO t(v) VALUES ('queued')");
        assertThat(tx.cancel(true)).isTrue();
        await(queued);
        assertThat(await(db.fetchAll("SELECT v FROM t"))).extracting(r -> r.getString(0)).containsExactly("queued");
        assertThat(failure(tx)).isInstanceOf(CancellationException.class);
    }

    @Test
    void nestedSavepointRollbackKeepsOuterWork() {
        String result = await(db.transaction(tx -> tx.execute("INSERT INTO t(v) VALUES ('outer')")
                .thenCompose(r -> tx.transaction(inner -> inner.execute("INSERT INTO t(v) VALUES ('inner')")
                        .thenCompose(x -> inner.transaction(deeper -> deeper.execute("INSERT INTO t(v) VALUES"
                                + " ('deeper')")))
                        .thenCompose(x -> inner.execute("INSERT INTO nowhere VALUES (1)")))
                        .handle((x, e) -> e == null ? "no failure" : "inner failed"))
                .thenCompose(s -> tx.transaction(kept -> kept.execute("INSERT INTO t(v) VALUES ('kept')"))
                        .thenApply(x -> s))));
        assertThat(result).isEqualTo("inner failed");
        assertThat(await(db.fetchAll("SELECT v FROM t ORDER BY id"))).extracting(r -> r.getString(0))
                .containsExactly("outer", "kept");
    }

    @Test
    void readsItsOwnWritesWhileReadersSeeTheCommittedState() {
        long[] seen = await(db.transaction(tx -> tx.execute("INSERT INTO t(v) VALUES ('a')")
                .thenCompose(r -> tx.fetchOne("SELECT count(*) FROM t"))
                .thenCompose(inside -> db.fetchOne("SELECT count(*) FROM t")
                        .thenApply(outside -> new long[] {inside.getLong(0), outside.getLong(0)}))));
        assertThat(seen).containsExactly(1L, 0L);
        assertThat(count(db, "t")).isEqualTo(1);
    }

    @Test
    void readSnapshotIsUnaffectedByWritesCommittedDuringIt() {
        await(db.execute("INSERT INTO t(v) VALUES ('before')"));
        long[] seen = await(db.read(snap -> snap.fetchOne("SELECT count(*) FROM t")
                .thenCompose(first -> db.execute("INSERT INTO t(v) VALUES ('during')")
                        .thenCompose(r -> db.fetchOne("SELECT count(*) FROM t"))
                        .thenCompose(fresh -> snap.fetchOne("SELECT count(*) FROM t")
                                .thenApply(again -> new long[] {first.getLong(0), fresh.getLong(0),
                                    again.getLong(0)})))));
        assertThat(seen).containsExactly(1L, 2L, 1L);
        assertThat(count(db, "t")).isEqualTo(2);
    }

    @Test
    void snapshotIsTakenWhenTheLeaseBegins() {
        // The write commits after the lease but before the first query of fn; the snapshot must not include it.
        long seen = await(db.read(snap -> db.execute("INSERT INTO t(v) VALUES ('x')")
                .thenCompose(r -> snap.fetchOne("SELECT count(*) FROM t")).thenApply(r -> r.getLong(0))));
        assertThat(seen).isZero();
    }

    @Test
    void deferredAndExclusiveModesWork() {
        for (TransactionMode mode : TransactionMode.values()) {
            TransactionMode seen = await(db.transaction(mode, tx -> tx.execute("INSERT INTO t(v) VALUES (?)",
                    mode.name()).thenApply(r -> tx.mode())));
            assertThat(seen).isEqualTo(mode);
        }
        assertThat(count(db, "t")).isEqualTo(3);
    }

    @Test
    void foreignKeysAreEnforcedAndAFailedCommitRollsBack() {
        Throwable e = failure(db.transaction(tx -> tx.execute("INSERT INTO child(p) VALUES (42)")));
        assertThat(e).isInstanceOf(SqliteConstraintException.class);
        assertThat(count(db, "child")).isZero();
    }

    @Test
    void aTransactionThatNeverCompletesIsRolledBackAfterTheTimeout() {
        db.close();
        db = await(Database.open(DatabaseOptions.builder(dir.resolve("t.db").toString()).readers(2)
                .transactionTimeout(Duration.ofMillis(300)).build()));
        Transaction[] handle = new Transaction[1];
        CompletableFuture<Object> tx = db.transaction(t -> {
            handle[0] = t;
            return t.execute("INSERT INTO t(v) VALUES ('a')").thenCompose(r -> new CompletableFuture<>());
        });
        Throwable e = failure(tx);
        assertThat(e).isInstanceOf(SqliteTimeoutException.class).hasMessageContaining("rolled back")
                .hasMessageContaining("transactionTimeout");
        assertThat(count(db, "t")).isZero();
        assertThat(handle[0].isActive()).isFalse();
        // A late call on the ended handle runs nothing, so it cannot write outside the transaction.
        assertThat(failure(handle[0].execute("INSERT INTO t(v) VALUES ('late')"))).hasMessageContaining("ended");
        assertThat(count(db, "t")).isZero();
        assertThat(db.stats().transactionTimeouts()).isEqualTo(1);
    }

    @Test
    void writesQueueInRequestOrder() {
        List<CompletableFuture<ExecuteResult>> fs = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            fs.add(db.execute("INSERT INTO t(v) VALUES (?)", Integer.toString(i)));
        }
        for (int i = 0; i < 200; i++) {
            assertThat(await(fs.get(i)).lastInsertRowid()).isEqualTo(i + 1L);
        }
        DatabaseStats s = db.stats();
        assertThat(s.writerAcquisitions()).isGreaterThanOrEqualTo(200);
        assertThat(s.writerQueueLength()).isZero();
        assertThat(s.readers()).isEqualTo(2);
    }

    @Test
    void everyConnectionGetsTheSetupAndReadersAreQueryOnly() {
        db.close();
        AtomicInteger writers = new AtomicInteger();
        AtomicInteger readers = new AtomicInteger();
        db = await(Database.open(DatabaseOptions.builder(dir.resolve("t.db").toString()).readers(3)
                .pragma("user_version", "7")
                .initializer((c, writer) -> {
                    (writer ? writers : readers).incrementAndGet();
                    org.sqlite.Function.create(c, "twice", new org.sqlite.Function() {
                        @Override
                        protected void xFunc() throws java.sql.SQLException {
                            result(2 * value_long(0));
                        }
                    });
                }).build()));
        assertThat(db.isWal()).isTrue();
        assertThat(writers.get()).isEqualTo(1);
        assertThat(readers.get()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            Row r = await(db.read(s -> s.fetchOne("SELECT (SELECT foreign_keys FROM pragma_foreign_keys),"
                    + " (SELECT query_only FROM pragma_query_only), (SELECT timeout FROM pragma_busy_timeout),"
                    + " (SELECT synchronous FROM pragma_synchronous), twice(21)")));
            assertThat(r.getLong(0)).isEqualTo(1);
            assertThat(r.getLong(1)).isEqualTo(1);
            assertThat(r.getLong(2)).isEqualTo(5000);
            assertThat(r.getLong(3)).isEqualTo(1);
            assertThat(r.getLong(4)).isEqualTo(42);
        }
        Row w = await(db.transaction(tx -> tx.fetchOne("SELECT (SELECT journal_mode FROM pragma_journal_mode),"
                + " (SELECT query_only FROM pragma_query_only), (SELECT user_version FROM pragma_user_version)")));
        assertThat(w.getString(0)).isEqualTo("wal");
        assertThat(w.getLong(1)).isZero();
        assertThat(w.getLong(2)).isEqualTo(7);
    }

    @Test
    void checkpointTruncateEmptiesTheWal() {
        for (int i = 0; i < 50; i++) {
            await(db.execute("INSERT INTO t(v) VALUES (randomblob(2000))"));
        }
        Path walFile = dir.resolve("t.db-wal");
        assertThat(walFile).exists();
        CheckpointResult passive = await(db.checkpoint());
        assertThat(passive.logFrames()).isPositive();
        CheckpointResult r = await(db.checkpoint(CheckpointMode.TRUNCATE));
        assertThat(r.busy()).isFalse();
        assertThat(r.logFrames()).isZero();
        assertThat(walFile.toFile().length()).isZero();
        assertThat(count(db, "t")).isEqualTo(50);
    }

    @Test
    void inMemoryDatabaseIsServedByOneSharedConnection() {
        db.close();
        db = await(Database.open(":memory:"));
        assertThat(db.isWal()).isFalse();
        assertThat(db.readerCount()).isZero();
        await(db.executeScript("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"));
        await(db.transaction(tx -> tx.execute("INSERT INTO t(v) VALUES ('a')")));
        assertThat(failure(db.transaction(tx -> tx.execute("INSERT INTO t(v) VALUES ('b')")
                .thenCompose(r -> tx.execute("INSERT INTO nowhere VALUES (1)"))))).isInstanceOf(SqliteException.class);
        long[] seen = await(db.read(s -> s.fetchOne("SELECT count(*) FROM t").thenApply(r -> new long[] {
            r.getLong(0)})));
        assertThat(seen).containsExactly(1L);
        assertThat(failure(db.fetchAll("INSERT INTO t(v) VALUES ('x') RETURNING id")))
                .hasMessageContaining("Database.execute");
        // query_only is lifted again for writes.
        await(db.execute("INSERT INTO t(v) VALUES ('c')"));
        assertThat(count(db, "t")).isEqualTo(2);
        assertThat(Files.exists(dir.resolve(":memory:"))).isFalse();
    }
}
