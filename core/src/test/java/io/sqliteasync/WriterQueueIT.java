package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer queue and pool counters of a {@link Database} across cancels, failures and timeouts. */
class WriterQueueIT {
    @TempDir
    Path dir;

    private Database open(DatabaseOptions.Builder b) {
        return await(Database.open(b.build()));
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
}
