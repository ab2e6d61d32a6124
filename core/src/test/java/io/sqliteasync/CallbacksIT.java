package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User-defined functions, collations, hooks and busy handlers, synchronous and asynchronous. */
class CallbacksIT {
    @TempDir
    Path dir;
    AsyncConnection db;
    ExecutorService network;

    @BeforeEach
    void open() {
        db = AsyncConnection.open(dir.resolve("cb.db").toString()).join();
        db.executeScript("CREATE TABLE n(id INTEGER PRIMARY KEY, v INTEGER, s TEXT);"
                + "INSERT INTO n(v, s) VALUES (1, 'b'), (2, 'A'), (3, 'c'), (4, 'a'), (5, 'B');").join();
        network = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-network"));
    }

    @AfterEach
    void close() {
        network.shutdownNow();
        assertThat(db.fetchOne("SELECT count(*) FROM n").join().getLong(0)).isEqualTo(5);
        db.close();
    }

    @Test
    void synchronousScalarFunctionRunsOnTheWorker() {
        List<String> threads = new ArrayList<>();
        db.createFunction("twice", 1, args -> {
            threads.add(Thread.currentThread().getName());
            return ((Long) args[0]) * 2;
        }).join();
        assertThat(db.fetchAll("SELECT twice(v) FROM n ORDER BY id").join()).extracting(r -> r.getLong(0))
                .containsExactly(2L, 4L, 6L, 8L, 10L);
        assertThat(threads).hasSize(5).allMatch(t -> t.startsWith("sqlite-async-connection-"));
        db.createFunction("kinds", -1, args -> {
            StringBuilder sb = new StringBuilder();
            for (Object a : args) {
                sb.append(a == null ? "null" : a.getClass().getSimpleName()).append(',');
            }
            return sb.toString();
        }).join();
        assertThat(db.fetchOne("SELECT kinds(1, 1.5, 'x', x'00', NULL)").join().getString(0))
                .isEqualTo("Long,Double,String,byte[],null,");
    }

    @Test
    void asyncFunctionCompletedLaterByAnotherThread() {
        db.createFunction("lookup", 1, args -> CompletableFuture.supplyAsync(() -> {
            // Stands in for a network call answered on another thread.
            return "remote-" + args[0];
        }, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS, network))).join();
        List<Row> rows = db.fetchAll("SELECT lookup(v) FROM n WHERE v <= 3 ORDER BY v").join();
        assertThat(rows).extracting(r -> r.getString(0)).containsExactly("remote-1", "remote-2", "remote-3");
    }

    @Test
    void askingForTheTransactionStateInsideACallbackIsRefusedWithoutAbortingTheStatement() {
        db.execute("CREATE TABLE copy(v)").join();
        db.createFunction("probe", 1, args -> db.isInTransaction()
                .handle((inTx, e) -> e != null && String.valueOf(e).contains("from inside a callback")
                        ? "refused" : "answered " + inTx)).join();
        assertThat(db.execute("INSERT INTO copy SELECT probe(v) FROM n").join().rowsUpdated()).isEqualTo(5);
        assertThat(db.fetchAll("SELECT DISTINCT v FROM copy").join()).extracting(r -> r.getString(0))
                .containsExactly("refused");
        assertThat(db.isInTransaction().join()).isFalse();
    }

    @Test
    void functionResultsGoThroughTheCodecs() {
        db.createFunction("day", 0, args -> java.time.LocalDate.of(2024, 2, 29)).join();
        db.createFunction("money", 0, args -> new java.math.BigDecimal("12.50")).join();
        Row r = db.fetchOne("SELECT day() AS d, typeof(day()) AS t, money() AS m, date(day(), '+1 day') AS next")
                .join();
        assertThat(r.getString("d")).isEqualTo("2024-02-29");
        assertThat(r.getString("t")).isEqualTo("text");
        assertThat(r.getString("m")).isEqualTo("12.50");
        assertThat(r.getString("next")).isEqualTo("2024-03-01");
        db.createFunction("bad", 0, args -> new Object()).join();
        assertThatThrownBy(() -> db.fetchOne("SELECT bad()").join()).cause().hasMessageContaining("java.lang.Object");
    }

    @Test
    void exceptionFromAFunctionFailsTheStatementWithItAsCause() {
        db.createFunction("explode", 0, args -> {
            throw new IllegalStateException("kaboom");
        }).join();
        assertThatThrownBy(() -> db.fetchAll("SELECT explode()").join()).cause()
                .isInstanceOf(SqliteException.class).hasMessageContaining("kaboom")
                .hasRootCauseInstanceOf(IllegalStateException.class);
        db.createFunction("explodeLater", 0, args -> CompletableFuture.failedFuture(new IllegalArgumentException("late")))
                .join();
        assertThatThrownBy(() -> db.fetchAll("SELECT explodeLater()").join()).cause()
                .hasRootCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("late");
    }

    @Test
    void deadlineReachedInsideAnAsyncFunction() {
        db.createFunction("never", 0, args -> new CompletableFuture<>()).join();
        long start = System.nanoTime();
        // The function's stage never completes: only the deadline can end the call (the get bound catches a hang).
        assertThatThrownBy(() -> Deadline.within(Duration.ofMillis(100), () -> db.fetchOne("SELECT never()"))
                .get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(SqliteTimeoutException.class);
        // Not before the deadline (a lower bound only: a slow machine cannot break it).
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(90L);
    }

    @Test
    void asyncCallbackWithoutDeadlineIsBoundedByTheCallbackTimeout() {
        try (AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(":memory:")
                .callbackTimeout(Duration.ofMillis(100)).build()).join()) {
            c.createFunction("never", 0, args -> new CompletableFuture<>()).join();
            assertThatThrownBy(() -> c.fetchOne("SELECT never()").join())
                    .hasCauseInstanceOf(SqliteTimeoutException.class).hasMessageContaining("async callback");
            assertThat(c.fetchOne("SELECT 1").join().getLong(0)).isEqualTo(1);
        }
    }

    @Test
    void reentrantCallFromTheWorkerRunsInline() {
        // Called on the worker thread inside the statement: SQLite allows the nested query, so no deadlock.
        db.createFunction("countRows", 0, args -> db.fetchOne("SELECT count(*) FROM n").thenApply(r -> r.getLong(0)))
                .join();
        assertThat(db.fetchOne("SELECT countRows()").join().getLong(0)).isEqualTo(5);
    }

    @Test
    void asyncFunctionCallingItsOwnConnectionFromAnotherThreadFailsFastWithDeadlock() {
        db.createFunction("selfCall", 0, args -> CompletableFuture.supplyAsync(
                () -> db.fetchOne("SELECT 1").join().getLong(0), ContextPropagation.wrap(network))).join();
        // Fast means without waiting for the deadline: it is far beyond the bound on the wait for the failure, and a
        // deadlock found at the deadline would come too late for it.
        assertThatThrownBy(() -> Deadline.within(Duration.ofMinutes(10), () -> db.fetchOne("SELECT selfCall()"))
                .get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(SqliteDeadlockException.class);
    }

    @Test
    void asyncFunctionCallingItsOwnConnectionWithoutContextFailsWithDeadlockAtItsDeadline() {
        db.createFunction("selfCall", 0, args -> CompletableFuture.supplyAsync(
                () -> db.fetchOne("SELECT 1").join().getLong(0), network)).join();
        // The deadline leaves the network thread ample time to queue its call even on a loaded machine: a call not
        // yet queued at the deadline would make it a plain timeout. Found at its deadline, not before: the worker's
        // deadline check is what reports it, with its own message.
        assertThatThrownBy(() -> Deadline.within(Duration.ofSeconds(2), () -> db.fetchOne("SELECT selfCall()"))
                .get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(SqliteDeadlockException.class)
                .cause().hasMessageMatching("(?s).*(the deadline passed|did not complete before its deadline).*");
    }

    /** A connection whose async callbacks may wait ten minutes: a test that ends in time proves immediate detection. */
    private AsyncConnection patient() {
        return AsyncConnection.open(ConnectionOptions.builder(dir.resolve("patient.db").toString())
                .callbackTimeout(Duration.ofMinutes(10)).build()).join();
    }

    @Test
    void asyncFunctionCallingItsOwnConnectionFromAWrappedSupplierOnTheCommonPoolFailsFastWithDeadlock() {
        try (AsyncConnection c = patient()) {
            c.createFunction("selfCall", 0, args -> CompletableFuture.supplyAsync(ContextPropagation.wrapSupplier(
                    () -> c.fetchOne("SELECT 1").join().getLong(0)))).join();
            assertThatThrownBy(() -> c.fetchOne("SELECT selfCall()").get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SqliteDeadlockException.class);
            assertThat(c.fetchOne("SELECT 2").join().getLong(0)).isEqualTo(2);
        }
    }

    @Test
    void asyncFunctionCallingItsOwnConnectionFromAWrappedCallableFailsFastWithDeadlock() {
        try (AsyncConnection c = patient()) {
            c.createFunction("selfCall", 0, args -> {
                CompletableFuture<Object> result = new CompletableFuture<>();
                network.submit(ContextPropagation.wrapCallable(() -> {
                    try {
                        return result.complete(c.blocking().fetchOne("SELECT 1").getLong(0));
                    } catch (RuntimeException e) {
                        return result.completeExceptionally(e);
                    }
                }));
                return result;
            }).join();
            assertThatThrownBy(() -> c.fetchOne("SELECT selfCall()").get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SqliteDeadlockException.class);
        }
    }

    @Test
    void asyncFunctionContinuingOnAWrappedExecutorFromAnotherThreadsCompletionFailsFastWithDeadlock() {
        try (AsyncConnection c = patient()) {
            c.createFunction("selfCall", 0, args -> {
                // The executor is wrapped inside the callback; the stage is handed to it later, by the thread that
                // completes the "response", which runs outside any callback.
                Executor wrapped = ContextPropagation.wrap(network);
                CompletableFuture<Long> response = new CompletableFuture<>();
                CompletableFuture<Long> stage = response.thenApplyAsync(
                        v -> c.fetchOne("SELECT ?", v).join().getLong(0), wrapped);
                new Thread(() -> response.complete(1L), "fake-response").start();
                return stage;
            }).join();
            assertThatThrownBy(() -> c.fetchOne("SELECT selfCall()").get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SqliteDeadlockException.class);
        }
    }

    @Test
    void asyncFunctionCallingAnotherConnectionFromAWrappedSupplierIsNoDeadlock() {
        try (AsyncConnection c = patient(); AsyncConnection other = AsyncConnection.open(":memory:").join()) {
            c.createFunction("elsewhere", 0, args -> CompletableFuture.supplyAsync(ContextPropagation.wrapSupplier(
                    () -> other.fetchOne("SELECT 41").join().getLong(0) + 1))).join();
            assertThat(c.fetchOne("SELECT elsewhere()").join().getLong(0)).isEqualTo(42);
        }
    }

    @Test
    void aContextCapturedInsideACallbackNoLongerRefusesCallsOnceTheCallbackEnded() throws Exception {
        try (AsyncConnection c = patient()) {
            List<Supplier<Long>> saved = new ArrayList<>();
            c.createFunction("keep", 0, args -> {
                saved.add(ContextPropagation.wrapSupplier(() -> c.fetchOne("SELECT 7").join().getLong(0)));
                return 1L;
            }).join();
            assertThat(c.fetchOne("SELECT keep()").join().getLong(0)).isEqualTo(1);
            assertThat(CompletableFuture.supplyAsync(saved.get(0)).get(60, TimeUnit.SECONDS)).isEqualTo(7);
        }
    }

    @Test
    void callFromAnUnrelatedThreadDuringASlowAsyncCallbackWaitsAndThenRuns() throws Exception {
        try (AsyncConnection c = patient()) {
            CountDownLatch inCallback = new CountDownLatch(1);
            CompletableFuture<Object> slow = new CompletableFuture<>();
            c.createFunction("slow", 0, args -> {
                inCallback.countDown();
                return slow;
            }).join();
            CompletableFuture<Row> running = c.fetchOne("SELECT slow()");
            assertThat(inCallback.await(60, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Row> queued = network.submit(() -> c.fetchOne("SELECT 3")).get(60, TimeUnit.SECONDS);
            // Refused calls fail inside submit; this one is queued behind the callback, which cannot finish yet.
            assertThat(queued).isNotDone();
            slow.complete(5L);
            assertThat(running.get(60, TimeUnit.SECONDS).getLong(0)).isEqualTo(5);
            assertThat(queued.get(60, TimeUnit.SECONDS).getLong(0)).isEqualTo(3);
        }
    }

    @Test
    void asyncFunctionCallingItsOwnConnectionWithoutContextOrDeadlineFailsWithDeadlockAtTheCallbackTimeout() {
        try (AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("short.db").toString())
                .callbackTimeout(Duration.ofSeconds(2)).build()).join()) {
            c.createFunction("selfCall", 0, args -> CompletableFuture.supplyAsync(
                    () -> c.fetchOne("SELECT 1").join().getLong(0), network)).join();
            assertThatThrownBy(() -> c.fetchOne("SELECT selfCall()").get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SqliteDeadlockException.class)
                    .hasMessageContaining("ContextPropagation.wrap");
        }
    }

    @Test
    void aggregateFunctionWithCheckedResult() {
        db.createAggregateFunction("product", 1, () -> new SqlAggregate() {
            private long product = 1;

            @Override
            public Object step(Object[] args) {
                product = Math.multiplyExact(product, (Long) args[0]);
                return null;
            }

            @Override
            public Object finish() {
                return product;
            }
        }).join();
        assertThat(db.fetchOne("SELECT product(v) FROM n").join().getLong(0)).isEqualTo(120);
        assertThat(db.fetchAll("SELECT v % 2 AS odd, product(v) FROM n GROUP BY v % 2 ORDER BY odd").join())
                .extracting(r -> r.getLong(1)).containsExactly(8L, 15L);
        // An async finish.
        db.createAggregateFunction("asyncSum", 1, () -> new SqlAggregate() {
            private long sum;

            @Override
            public Object step(Object[] args) {
                sum += (Long) args[0];
                return null;
            }

            @Override
            public Object finish() {
                long s = sum;
                return CompletableFuture.supplyAsync(() -> s, network);
            }
        }).join();
        assertThat(db.fetchOne("SELECT asyncSum(v) FROM n").join().getLong(0)).isEqualTo(15);
    }

    @Test
    void windowFunctionWithCheckedResult() {
        db.createWindowFunction("wsum", 1, () -> new SqlWindowFunction() {
            private long sum;

            @Override
            public Object step(Object[] args) {
                sum += (Long) args[0];
                return null;
            }

            @Override
            public Object inverse(Object[] args) {
                sum -= (Long) args[0];
                return null;
            }

            @Override
            public Object value() {
                return sum;
            }

            @Override
            public Object finish() {
                return sum;
            }
        }).join();
        List<Row> rows = db.fetchAll("SELECT v, wsum(v) OVER (ORDER BY v ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) "
                + "FROM n ORDER BY v").join();
        assertThat(rows).extracting(r -> r.getLong(1)).containsExactly(1L, 3L, 5L, 7L, 9L);
        assertThat(db.fetchOne("SELECT wsum(v) FROM n").join().getLong(0)).isEqualTo(15);
    }

    @Test
    void collationUsedByOrderBy() {
        db.createCollation("nocase_rev", (a, b) -> b.compareToIgnoreCase(a)).join();
        assertThat(db.fetchAll("SELECT s FROM n ORDER BY s COLLATE nocase_rev, id").join())
                .extracting(r -> r.getString(0)).containsExactly("c", "b", "B", "A", "a");
    }

    @Test
    void updateCommitAndRollbackHooks() {
        List<String> events = new ArrayList<>();
        db.setUpdateHook((kind, database, table, rowid) -> events.add(kind + " " + table + " " + rowid)).join();
        db.setCommitHook(() -> events.add("commit")).join();
        db.setRollbackHook(() -> CompletableFuture.runAsync(() -> events.add("rollback"), network)).join();
        db.execute("INSERT INTO n(id, v) VALUES (10, 10)").join();
        db.execute("BEGIN").join();
        db.execute("UPDATE n SET v = 11 WHERE id = 10").join();
        db.execute("DELETE FROM n WHERE id = 10").join();
        db.rollback().join();
        db.execute("DELETE FROM n WHERE id = 10").join();
        db.setUpdateHook(null).join();
        db.setCommitHook(null).join();
        db.setRollbackHook(null).join();
        db.execute("INSERT INTO n(id, v) VALUES (11, 11)").join();
        db.execute("DELETE FROM n WHERE id = 11").join();
        assertThat(events).containsExactly("INSERT n 10", "commit", "UPDATE n 10", "DELETE n 10", "rollback",
                "DELETE n 10", "commit");
    }

    @Test
    void hookExceptionFailsTheCallButTheChangeStands() {
        db.setUpdateHook((kind, database, table, rowid) -> {
            throw new IllegalStateException("hook broke");
        }).join();
        assertThatThrownBy(() -> db.execute("INSERT INTO n(id, v) VALUES (20, 20)").join()).cause()
                .hasMessageContaining("callback failed").hasRootCauseMessage("hook broke");
        db.setUpdateHook(null).join();
        db.execute("DELETE FROM n WHERE id = 20").join();
    }

    @Test
    void busyHandlerDecidesAboutRetries() throws Exception {
        String file = dir.resolve("busy.db").toString();
        try (AsyncConnection a = AsyncConnection.open(file).join();
                AsyncConnection b = AsyncConnection.open(file).join()) {
            a.execute("CREATE TABLE x(v)").join();
            a.execute("BEGIN EXCLUSIVE").join();
            AtomicInteger calls = new AtomicInteger();
            b.setBusyHandler(attempts -> {
                calls.incrementAndGet();
                if (attempts == 3) {
                    // Asynchronously release the lock and say retry.
                    return a.commit().thenApply(x -> true);
                }
                return CompletableFuture.supplyAsync(() -> true,
                        CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS, network));
            }).join();
            b.execute("INSERT INTO x VALUES (1)").get(10, TimeUnit.SECONDS);
            assertThat(calls.get()).isGreaterThanOrEqualTo(4);
            a.execute("BEGIN EXCLUSIVE").join();
            b.setBusyHandler(attempts -> false).join();
            assertThatThrownBy(() -> b.execute("INSERT INTO x VALUES (2)").join())
                    .hasCauseInstanceOf(SqliteBusyException.class);
            a.rollback().join();
            b.setBusyHandler(null).join();
            b.execute("INSERT INTO x VALUES (3)").join();
            assertThat(b.fetchOne("SELECT count(*) FROM x").join().getLong(0)).isEqualTo(2);
        }
    }

    /**
     * Parallelism shown by overlap, not by speed: each CPU-bound query calls a function halfway through that waits
     * until the other connection's query has entered its own function. Run one at a time, the first query would wait
     * for a query that cannot start; the 60 s bound only catches that hang.
     */
    @Test
    void twoConnectionsRunCpuBoundQueriesInParallel() {
        String q = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400000) "
                + "SELECT sum(CASE WHEN x = 200000 THEN meet(x) ELSE x END) FROM c";
        CountDownLatch bothInside = new CountDownLatch(2);
        SqlScalarFunction meet = args -> {
            bothInside.countDown();
            if (!bothInside.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other connection's query never ran while this one did");
            }
            return args[0];
        };
        try (AsyncConnection a = AsyncConnection.open(":memory:").join();
                AsyncConnection b = AsyncConnection.open(":memory:").join()) {
            a.createFunction("meet", 1, meet).join();
            b.createFunction("meet", 1, meet).join();
            CompletableFuture<Row> fa = a.fetchOne(q);
            CompletableFuture<Row> fb = b.fetchOne(q);
            CompletableFuture.allOf(fa, fb).orTimeout(120, TimeUnit.SECONDS).join();
            assertThat(bothInside.getCount()).isZero();
            assertThat(fa.join().getLong(0)).isEqualTo(400000L * 400001L / 2).isEqualTo(fb.join().getLong(0));
        }
    }

    @Test
    void queuedCallBehindASlowAsyncCallbackTimesOutInsteadOfReportingDeadlock() throws Exception {
        CountDownLatch inCallback = new CountDownLatch(1);
        CompletableFuture<Object> slow = new CompletableFuture<>();
        db.createFunction("slow", 0, args -> {
            inCallback.countDown();
            return slow;
        }).join();
        CompletableFuture<Row> running = db.fetchOne("SELECT slow()");
        assertThat(inCallback.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Row> queued = Deadline.within(Duration.ofMillis(50), () -> db.fetchOne("SELECT 1"));
        try {
            assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(SqliteTimeoutException.class);
        } finally {
            slow.complete(7L);
        }
        assertThat(running.get(5, TimeUnit.SECONDS).getLong(0)).isEqualTo(7);
    }

    @Test
    void interruptFlagLeftByAJobDoesNotBreakLaterAsyncCallbacks() {
        db.run(c -> {
            Thread.currentThread().interrupt();
            return null;
        }).join();
        db.createFunction("later", 0, args -> CompletableFuture.supplyAsync(() -> 42L,
                CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS))).join();
        assertThat(db.fetchOne("SELECT later()").join().getLong(0)).isEqualTo(42);
        assertThat(db.run(c -> Thread.currentThread().isInterrupted()).join()).isFalse();
    }

    @Test
    void aggregateUsedTwiceInOneQueryKeepsSeparateState() {
        db.createAggregateFunction("total", 1, () -> new SqlAggregate() {
            long sum;

            @Override
            public Object step(Object[] args) {
                sum += (Long) args[0];
                return null;
            }

            @Override
            public Object finish() {
                return sum;
            }
        }).join();
        Row r = db.fetchOne("SELECT total(v), total(v * 10) FROM n").join();
        assertThat(r.getLong(0)).isEqualTo(15);
        assertThat(r.getLong(1)).isEqualTo(150);
        assertThat(db.fetchAll("SELECT v % 2, total(v), total(v * 10) FROM n GROUP BY v % 2 ORDER BY 1").join())
                .extracting(x -> x.getLong(1) + "/" + x.getLong(2)).containsExactly("6/60", "9/90");
        assertThat(db.fetchOne("SELECT total(v) FROM n WHERE v > 100").join().getLong(0)).isEqualTo(0);
        assertThat(db.fetchOne("SELECT total(v) FROM n WHERE v > 100").join().getLong(0)).isEqualTo(0);
        assertThat(db.fetchOne("SELECT total(v) FROM n").join().getLong(0)).isEqualTo(15);
    }

    @Test
    void nestedCallInsideACallbackKeepsTheOuterCallbackError() {
        db.createFunction("boom", 0, args -> {
            throw new IllegalStateException("outer boom");
        }).join();
        db.createFunction("nested", 0, args -> db.fetchOne("SELECT 1").thenApply(r -> r.getLong(0))).join();
        db.setUpdateHook((k, d, t, id) -> {
            if (t.equals("n")) {
                throw new IllegalStateException("hook boom");
            }
            return null;
        }).join();
        assertThatThrownBy(() -> db.execute("UPDATE n SET v = v + nested() WHERE id = 1").join()).cause()
                .hasRootCauseMessage("hook boom");
        db.setUpdateHook(null).join();
    }
}
