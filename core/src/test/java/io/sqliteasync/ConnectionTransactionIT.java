package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Transactions on one {@link AsyncConnection}: exclusive use of the connection for the transaction's duration. */
class ConnectionTransactionIT {
    @TempDir
    Path dir;

    private AsyncConnection open(ExecutorService completions) {
        // No fsync per commit: the tests count transactions, not durability.
        ConnectionOptions.Builder b = ConnectionOptions.builder(dir.resolve("c.db").toString())
                .pragma("journal_mode", "WAL").pragma("synchronous", "OFF");
        if (completions != null) {
            b.completionExecutor(completions);
        }
        AsyncConnection c = await(AsyncConnection.open(b.build()));
        await(c.executeScript("CREATE TABLE counter (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);"
                + " INSERT INTO counter VALUES (1, 0); CREATE TABLE log (n INTEGER)"));
        return c;
    }

    @ParameterizedTest(name = "completion executor: {0}")
    @ValueSource(booleans = {false, true})
    void twoHundredConcurrentTransactionsOnOneConnectionAllCommitWithExactTotals(boolean withExecutor)
            throws Exception {
        ExecutorService completions = withExecutor ? Executors.newFixedThreadPool(4) : null;
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try (AsyncConnection c = open(completions)) {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<CompletableFuture<Long>>> started = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                started.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    // Read, then write what was read plus one: lost updates would show in the total.
                    return c.transaction(tx -> tx.fetchOne("SELECT v FROM counter WHERE id = 1")
                            .thenCompose(r -> tx.execute("UPDATE counter SET v = ? WHERE id = 1", r.getLong(0) + 1)
                                    .thenCompose(x -> tx.execute("INSERT INTO log(n) VALUES (?)", n))
                                    .thenApply(x -> r.getLong(0) + 1)));
                }, callers));
            }
            go.countDown();
            List<Long> seen = new ArrayList<>();
            for (CompletableFuture<CompletableFuture<Long>> f : started) {
                seen.add(await(await(f)));
            }
            assertThat(seen).doesNotHaveDuplicates().hasSize(200);
            assertThat(await(c.fetchOne("SELECT v FROM counter WHERE id = 1")).getLong(0)).isEqualTo(200);
            assertThat(await(c.fetchOne("SELECT count(*) FROM log")).getLong(0)).isEqualTo(200);
            assertThat(await(c.isInTransaction())).isFalse();
        } finally {
            callers.shutdownNow();
            if (completions != null) {
                completions.shutdownNow();
            }
        }
    }

    @Test
    void callsMadeOutsideATransactionWaitUntilItEndsAndThenRunInOrder() {
        try (AsyncConnection c = open(null)) {
            Transaction tx = await(c.begin());
            await(tx.execute("INSERT INTO log(n) VALUES (1)"));
            CompletableFuture<ExecuteResult> a = CompletableFuture.supplyAsync(
                    () -> c.execute("INSERT INTO log(n) VALUES (10)")).join();
            CompletableFuture<ExecuteResult> b = CompletableFuture.supplyAsync(
                    () -> c.execute("INSERT INTO log(n) VALUES (11)")).join();
            CompletableFuture<Row> outsideRead = CompletableFuture.supplyAsync(
                    () -> c.fetchOne("SELECT count(*) FROM log")).join();
            // The transaction's own calls run while the others wait: several round trips through the worker.
            for (int i = 2; i <= 5; i++) {
                await(tx.execute("INSERT INTO log(n) VALUES (?)", i));
            }
            assertThat(await(tx.fetchOne("SELECT count(*) FROM log")).getLong(0)).isEqualTo(5);
            assertThat(a).isNotDone();
            assertThat(b).isNotDone();
            assertThat(outsideRead).isNotDone();
            await(tx.rollback());
            await(a);
            await(b);
            // The read queued after both writes saw them, and none of the rolled-back rows.
            assertThat(await(outsideRead).getLong(0)).isEqualTo(2);
            assertThat(await(c.fetchAll("SELECT n FROM log ORDER BY rowid", Long.class)).stream().toList())
                    .containsExactly(10L, 11L);
        }
    }

    @Test
    void aCallOnTheConnectionInsideItsOwnTransactionFailsAtOnceAndTheTransactionRollsBack() {
        try (AsyncConnection c = open(null)) {
            Throwable e = failure(c.transaction(tx -> tx.execute("INSERT INTO log(n) VALUES (1)")
                    .thenCompose(r -> c.execute("INSERT INTO log(n) VALUES (2)"))));
            assertThat(e).isInstanceOf(SqliteDeadlockException.class)
                    .hasMessageContaining("AsyncConnection.execute inside this connection's own transaction")
                    .hasMessageContaining("tx.execute");
            assertThat(failure(c.transaction(tx -> c.fetchAll("SELECT 1")))).isInstanceOf(
                    SqliteDeadlockException.class);
            assertThat(failure(c.transaction(tx -> c.transaction(inner -> inner.execute("SELECT 1")))))
                    .isInstanceOf(SqliteDeadlockException.class).hasMessageContaining("tx.transaction(fn)");
            assertThat(await(c.fetchOne("SELECT count(*) FROM log")).getLong(0)).isZero();
            BlockingConnection b = c.blocking();
            assertThat(failure(CompletableFuture.runAsync(() -> b.transaction(tx -> {
                tx.execute("INSERT INTO log(n) VALUES (3)");
                return b.execute("INSERT INTO log(n) VALUES (4)");
            })))).isInstanceOf(SqliteDeadlockException.class);
            assertThat(await(c.fetchOne("SELECT count(*) FROM log")).getLong(0)).isZero();
        }
    }

    @Test
    void cancellingATransactionStopsItsRunningStatementAndRollsBack() throws Exception {
        try (AsyncConnection c = open(null)) {
            CountDownLatch running = new CountDownLatch(1);
            await(c.createFunction("running", 0, args -> {
                running.countDown();
                return 1;
            }));
            String endless = "WITH RECURSIVE n(i) AS (SELECT running() UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n";
            CompletableFuture<Row> f = c.transaction(tx -> tx.execute("INSERT INTO log(n) VALUES (1)")
                    .thenCompose(r -> tx.fetchOne(endless)));
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            f.cancel(false);
            // The endless statement stopped (or this would hang), and the insert was rolled back.
            assertThat(await(c.fetchOne("SELECT count(*) FROM log")).getLong(0)).isZero();
            assertThat(await(c.isInTransaction())).isFalse();
        }
    }

    @Test
    void aHandleEndsOnceAndRefusesLaterCalls() {
        try (AsyncConnection c = open(null)) {
            try (Transaction tx = await(c.begin(TransactionMode.DEFERRED))) {
                await(tx.execute("INSERT INTO log(n) VALUES (1)"));
                await(tx.commit());
                assertThat(failure(tx.commit())).hasMessageContaining("committed");
                assertThat(failure(tx.rollback())).hasMessageContaining("committed");
                assertThat(failure(tx.execute("INSERT INTO log(n) VALUES (2)"))).hasMessageContaining("ended");
            }
            Transaction rolled = await(c.begin());
            await(rolled.execute("INSERT INTO log(n) VALUES (3)"));
            rolled.close();
            await(rolled.rollback());
            assertThat(await(c.fetchAll("SELECT n FROM log", Long.class))).containsExactly(1L);
        }
    }
}
