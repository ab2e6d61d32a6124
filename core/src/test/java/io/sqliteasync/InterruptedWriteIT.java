package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write stopped in the middle of its statement (deadline or cancel) leaves nothing behind for the next write. */
class InterruptedWriteIT {
    /** Inserts a billion rows unless stopped, announcing through {@code started()} that it is stepping. */
    static final String ENDLESS_INSERT = "INSERT INTO t WITH RECURSIVE c(x) AS (SELECT started() UNION ALL"
            + " SELECT x + 1 FROM c WHERE x < 1000000000) SELECT x FROM c";

    @TempDir
    Path dir;

    @RepeatedTest(3)
    void theWriteQueuedBehindAWriteStoppedByItsDeadlineSucceeds() throws Exception {
        Database db = await(Database.open(dir.resolve("d.db").toString()));
        try {
            await(db.execute("CREATE TABLE t(x)"));
            CountDownLatch started = new CountDownLatch(1);
            await(db.createFunction("started", 0, args -> {
                started.countDown();
                return 1;
            }));
            CompletableFuture<ExecuteResult> stopped = Deadline.within(Duration.ofMillis(200),
                    () -> db.execute(ENDLESS_INSERT));
            List<CompletableFuture<ExecuteResult>> next = new ArrayList<>();
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) {
                next.add(db.execute("INSERT INTO t VALUES (?)", -1 - i));
            }
            next.add(db.transaction(tx -> tx.execute("INSERT INTO t VALUES (-100)")));
            assertThat(failure(stopped)).isInstanceOf(SqliteTimeoutException.class);
            for (CompletableFuture<ExecuteResult> f : next) {
                assertThat(await(f).rowsUpdated()).isEqualTo(1);
            }
            assertThat(await(db.fetchOne("SELECT count(*) FROM t")).getLong(0)).isEqualTo(6);
        } finally {
            db.closeAsync().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aConnectionWhoseWriteWasCancelledCommitsTheNextTransaction() throws Exception {
        try (AsyncConnection c = await(AsyncConnection.open(dir.resolve("c.db").toString()))) {
            await(c.execute("CREATE TABLE t(x)"));
            CountDownLatch started = new CountDownLatch(1);
            await(c.createFunction("started", 0, args -> {
                started.countDown();
                return 1;
            }));
            CompletableFuture<ExecuteResult> stopped = c.execute(ENDLESS_INSERT);
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            stopped.cancel(true);
            await(c.executeScript("BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT"));
            assertThat(await(c.fetchOne("SELECT count(*) FROM t")).getLong(0)).isEqualTo(1);
        }
    }
}
