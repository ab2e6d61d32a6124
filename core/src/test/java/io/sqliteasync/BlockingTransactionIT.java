package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions through the blocking view of a {@link Database}: what bodies throw, interrupts, calls on the writer thread. */
class BlockingTransactionIT {
    @TempDir
    Path dir;

    private Database open(DatabaseOptions.Builder b) {
        return await(Database.open(b.build()));
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
}
