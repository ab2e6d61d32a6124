package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DumpTestSupport.collect;
import static io.sqliteasync.DumpTestSupport.fingerprint;
import static io.sqliteasync.DumpTestSupport.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The dump as a stream: demand, cancellation, errors, the snapshot it reads, the blocking view. */
@Timeout(60)
class DumpStreamIT {
    private static final int ROWS = 100;

    @TempDir
    Path dir;

    /** A subscriber driven from the test thread: it requests, then takes what arrived. */
    static final class Probe implements Flow.Subscriber<String> {
        final LinkedBlockingQueue<String> items = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicLong requested = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicInteger inOnNext = new AtomicInteger();
        final AtomicReference<String> violation = new AtomicReference<>();
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(String item) {
            if (inOnNext.incrementAndGet() != 1) {
                violation.compareAndSet(null, "onNext ran concurrently");
            }
            if (received.incrementAndGet() > requested.get()) {
                violation.compareAndSet(null, "item " + received.get() + " arrived with only " + requested.get()
                        + " requested");
            }
            items.add(item);
            inOnNext.decrementAndGet();
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }

        void request(long n) {
            requested.addAndGet(n);
            subscription.request(n);
        }

        String take() throws InterruptedException {
            String s = items.poll(60, TimeUnit.SECONDS);
            assertThat(s).as("a statement within 60 s").isNotNull();
            return s;
        }

        Throwable failure() {
            try {
                done.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            throw new AssertionError("the dump completed instead of failing");
        }
    }

    private Database database(int prefetch) {
        Database db = await(Database.open(DatabaseOptions.builder(dir.resolve("db.db").toString()).readers(1)
                .prefetch(prefetch).acquireTimeout(Duration.ofSeconds(20)).build()));
        fill(db.blocking());
        return db;
    }

    private static void fill(BlockingSqlClient db) {
        db.executeScript("CREATE TABLE a (id INTEGER PRIMARY KEY, x INTEGER);"
                + " CREATE TABLE b (id INTEGER PRIMARY KEY, x INTEGER);"
                + " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS + ")"
                + " INSERT INTO a SELECT i, 10 FROM n;"
                + " INSERT INTO b SELECT id, 10 FROM a;");
    }

    @Test
    void requestingOneAtATimeDeliversOneStatementPerRequest() throws Exception {
        try (Database db = database(4)) {
            List<String> all = collect(db.dump());
            Probe p = new Probe();
            db.dump().subscribe(p);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                p.request(1);
                got.add(p.take());
                assertThat(p.items).isEmpty();
            }
            p.request(1);
            p.done.get(60, TimeUnit.SECONDS);
            assertThat(p.violation.get()).isNull();
            assertThat(got).isEqualTo(all);
            assertThat(all).hasSize(2 + 2 * (1 + ROWS) + 1);
        }
    }

    @Test
    void cancellingMidwayGivesTheReaderBack() throws Exception {
        try (Database db = database(4)) {
            Probe p = new Probe();
            db.dump().subscribe(p);
            p.request(10);
            for (int i = 0; i < 10; i++) {
                p.take();
            }
            p.subscription.cancel();
            // The database's only reader is free again: a read gets it (it would time out after 20 s otherwise).
            assertThat(await(db.fetchOne("SELECT count(*) FROM a")).getLong(0)).isEqualTo(ROWS);
            assertThat(await(db.fetchOne("SELECT count(*) FROM b")).getLong(0)).isEqualTo(ROWS);
            p.request(5);
            assertThat(p.done).isNotCompleted();
            assertThat(p.violation.get()).isNull();
        }
    }

    @Test
    void cancellingWhileTheSnapshotOpensGivesTheReaderBack() {
        try (Database db = database(4)) {
            for (int i = 0; i < 20; i++) {
                Probe p = new Probe();
                db.dump().subscribe(p);
                p.request(1);
                p.subscription.cancel();
                assertThat(await(db.fetchOne("SELECT count(*) FROM a")).getLong(0)).isEqualTo(ROWS);
            }
        }
    }

    @Test
    void cancellingAConnectionDumpEndsItsTransaction() throws Exception {
        try (AsyncConnection c = await(AsyncConnection.open(dir.resolve("c.db").toString()))) {
            fill(c.blocking());
            Probe p = new Probe();
            c.dump().subscribe(p);
            p.request(3);
            for (int i = 0; i < 3; i++) {
                p.take();
            }
            p.subscription.cancel();
            await(c.execute("INSERT INTO a VALUES (1000, 1)"));
            assertThat(await(c.isInTransaction())).isFalse();
        }
    }

    @Test
    void aConnectionDumpHoldsTheConnectionSoLaterWritesWaitAndAreNotInIt() throws Exception {
        try (AsyncConnection c = await(AsyncConnection.open(dir.resolve("c.db").toString()))) {
            fill(c.blocking());
            Probe p = new Probe();
            c.dump().subscribe(p);
            p.request(5);
            for (int i = 0; i < 5; i++) {
                p.take();
            }
            CompletableFuture<ExecuteResult> write = c.execute("INSERT INTO b VALUES (1000, 1)");
            p.request(Long.MAX_VALUE);
            p.done.get(60, TimeUnit.SECONDS);
            await(write);
            assertThat(p.items).noneMatch(s -> s.contains("1000")).last().isEqualTo("COMMIT;");
            assertThat(await(c.fetchOne("SELECT count(*) FROM b")).getLong(0)).isEqualTo(ROWS + 1);
        }
    }

    @Test
    void aDatabaseDumpIsOneSnapshotWhileTheWriterWrites() throws Exception {
        try (Database db = database(4);
                AsyncConnection copy = await(AsyncConnection.open(dir.resolve("copy.db").toString()))) {
            Map<String, List<String>> before = fingerprint(db.blocking());
            Probe p = new Probe();
            db.dump().subscribe(p);
            List<String> got = new ArrayList<>();
            String s;
            do {
                p.request(1);
                s = p.take();
                got.add(s);
            } while (!s.startsWith("INSERT INTO \"a\""));
            // Mid-dump, transfers between rows of a not yet dumped and rows of b, and new rows: committed while the
            // dump is paused, they must not show in it, and the sum over both tables stays 2000 in the dump.
            await(db.transaction(tx -> tx.execute("UPDATE a SET x = x - 7 WHERE id = " + ROWS)
                    .thenCompose(r -> tx.execute("UPDATE b SET x = x + 7 WHERE id = 1"))
                    .thenCompose(r -> tx.execute("INSERT INTO a VALUES (" + (ROWS + 1) + ", 0)"))));
            await(db.execute("DELETE FROM b WHERE id = 2"));
            p.request(Long.MAX_VALUE);
            p.done.get(60, TimeUnit.SECONDS);
            got.addAll(p.items);
            await(copy.executeScript(script(got)));
            assertThat(fingerprint(copy.blocking())).isEqualTo(before);
            assertThat(await(copy.fetchOne("SELECT (SELECT sum(x) FROM a) + (SELECT sum(x) FROM b)")).getLong(0))
                    .isEqualTo(2L * ROWS * 10);
            assertThat(fingerprint(db.blocking())).isNotEqualTo(before);
        }
    }

    @Test
    void aSnapshotEndedByTheTransactionTimeoutFailsTheDump() throws Exception {
        try (Database db = await(Database.open(DatabaseOptions.builder(dir.resolve("t.db").toString()).readers(1)
                .prefetch(4).transactionTimeout(Duration.ofMillis(200)).build()))) {
            fill(db.blocking());
            Probe p = new Probe();
            db.dump().subscribe(p);
            p.request(3);
            for (int i = 0; i < 3; i++) {
                p.take();
            }
            // No demand: the snapshot stays open until the transaction timeout ends it.
            while (db.stats().transactionTimeouts() == 0) {
                Thread.sleep(10);
            }
            p.request(Long.MAX_VALUE);
            assertThat(p.failure()).isInstanceOf(SqliteException.class).hasMessageContaining("transactionTimeout");
            assertThat(await(db.fetchOne("SELECT count(*) FROM a")).getLong(0)).isEqualTo(ROWS);
        }
    }

    @Test
    void aSubscriberThatThrowsFromOnNextStillGivesTheReaderBack() {
        try (Database db = database(4)) {
            IllegalStateException boom = new IllegalStateException("bad subscriber");
            Flow.Subscription[] held = new Flow.Subscription[1];
            db.dump().subscribe(new Flow.Subscriber<String>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    held[0] = s;
                }

                @Override
                public void onNext(String item) {
                    throw boom;
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onComplete() {
                }
            });
            // The first request opens the snapshot; the statements arrive on the reader's thread, where it throws.
            held[0].request(5);
            assertThat(await(db.fetchOne("SELECT count(*) FROM a")).getLong(0)).isEqualTo(ROWS);
        }
    }

    @Test
    void anInMemoryDatabaseDumpsThroughItsOneConnection() {
        try (Database db = await(Database.open(":memory:"));
                AsyncConnection copy = await(AsyncConnection.open(":memory:"))) {
            assertThat(db.isWal()).isFalse();
            fill(db.blocking());
            await(copy.executeScript(script(collect(db.dump()))));
            assertThat(fingerprint(copy.blocking())).isEqualTo(fingerprint(db.blocking()));
            await(db.execute("INSERT INTO a VALUES (1000, 1)"));
        }
    }

    @Test
    void closingADatabaseInTheMiddleOfADumpWaitsForTheSnapshotAsForAnyHeldSnapshot() throws Exception {
        // close() waits for held readers; the transaction timeout bounds that wait for a dump nobody drives.
        Database db = await(Database.open(DatabaseOptions.builder(dir.resolve("t.db").toString()).readers(1)
                .prefetch(4).transactionTimeout(Duration.ofMillis(300)).build()));
        fill(db.blocking());
        Probe p = new Probe();
        db.dump().subscribe(p);
        p.request(3);
        for (int i = 0; i < 3; i++) {
            p.take();
        }
        db.close();
        assertThat(db.stats().transactionTimeouts()).isOne();
        p.request(Long.MAX_VALUE);
        assertThat(p.failure()).isInstanceOf(SqliteException.class);
    }

    @Test
    void closingAConnectionInTheMiddleOfADumpFinishesAndFailsTheDump() throws Exception {
        AsyncConnection c = await(AsyncConnection.open(dir.resolve("c.db").toString()));
        fill(c.blocking());
        Probe p = new Probe();
        c.dump().subscribe(p);
        p.request(3);
        for (int i = 0; i < 3; i++) {
            p.take();
        }
        c.close();
        p.request(Long.MAX_VALUE);
        assertThat(p.failure()).isInstanceOf(SqliteException.class);
    }

    @Test
    void aClosedClientFailsTheDumpWithSqliteClosedException() {
        AsyncConnection c = await(AsyncConnection.open(dir.resolve("c.db").toString()));
        c.close();
        Probe p = new Probe();
        c.dump().subscribe(p);
        p.request(1);
        assertThat(p.failure()).isInstanceOf(SqliteClosedException.class);

        Database db = database(4);
        db.close();
        Probe q = new Probe();
        db.dump().subscribe(q);
        q.request(1);
        assertThat(q.failure()).isInstanceOf(SqliteClosedException.class);
        assertThat(p.items).isEmpty();
        assertThat(q.items).isEmpty();
    }

    @Test
    void aMissingSchemaFailsTheDumpAndGivesTheReaderBack() {
        try (Database db = database(4)) {
            Probe p = new Probe();
            db.dump(DumpOptions.builder().schema("nowhere").build()).subscribe(p);
            p.request(10);
            assertThat(p.failure()).isInstanceOf(SqliteException.class).hasMessageContaining("nowhere");
            assertThat(await(db.fetchOne("SELECT count(*) FROM a")).getLong(0)).isEqualTo(ROWS);
        }
    }

    @Test
    void aTableFilterThatThrowsFailsTheDumpAndGivesTheReaderBack() {
        try (Database db = database(4)) {
            IllegalStateException boom = new IllegalStateException("no filter today");
            Probe p = new Probe();
            db.dump(DumpOptions.builder().tables(name -> {
                throw boom;
            }).build()).subscribe(p);
            p.request(10);
            assertThat(p.failure()).isSameAs(boom);
            assertThat(p.items).isEmpty();
            assertThat(await(db.fetchOne("SELECT count(*) FROM a")).getLong(0)).isEqualTo(ROWS);
        }
    }

    @Test
    void aNonPositiveRequestFailsTheDumpAndGivesTheReaderBack() throws Exception {
        try (Database db = database(4)) {
            Probe p = new Probe();
            db.dump().subscribe(p);
            p.request(2);
            p.take();
            p.take();
            p.subscription.request(0);
            assertThat(p.failure()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
            assertThat(await(db.fetchOne("SELECT count(*) FROM a")).getLong(0)).isEqualTo(ROWS);
        }
    }

    @Test
    void eachSubscriptionIsItsOwnDump() {
        try (Database db = database(8)) {
            Flow.Publisher<String> dump = db.dump();
            List<String> first = collect(dump);
            await(db.execute("INSERT INTO a VALUES (1000, 5)"));
            List<String> second = collect(dump);
            assertThat(second).hasSize(first.size() + 1).contains("INSERT INTO \"a\" VALUES(1000,5);");
        }
    }

    @Test
    void theBlockingViewHandsStatementsToTheCallingThread() {
        try (Database db = database(4);
                AsyncConnection c = await(AsyncConnection.open(dir.resolve("c.db").toString()))) {
            Thread caller = Thread.currentThread();
            List<String> got = new ArrayList<>();
            db.blocking().dump(s -> {
                assertThat(Thread.currentThread()).isSameAs(caller);
                got.add(s);
            });
            assertThat(got).isEqualTo(collect(db.dump()));
            List<String> fromConnection = new ArrayList<>();
            fill(c.blocking());
            c.blocking().dump(DumpOptions.builder().tables("b"::equals).build(), fromConnection::add);
            assertThat(fromConnection).contains("INSERT INTO \"b\" VALUES(1,10);")
                    .noneMatch(s -> s.startsWith("INSERT INTO \"a\""));
        }
    }

    @Test
    void whatTheBlockingConsumerThrowsStopsTheDump() {
        try (Database db = database(4)) {
            IllegalStateException boom = new IllegalStateException("disk full");
            AtomicInteger seen = new AtomicInteger();
            assertThatThrownBy(() -> db.blocking().dump(s -> {
                if (seen.incrementAndGet() == 7) {
                    throw boom;
                }
            })).isSameAs(boom);
            assertThat(seen).hasValue(7);
            assertThat(await(db.fetchOne("SELECT count(*) FROM a")).getLong(0)).isEqualTo(ROWS);
        }
    }

    @Test
    void aBlockingDumpOfAClosedDatabaseThrowsSqliteClosedException() {
        Database db = database(4);
        db.close();
        assertThatThrownBy(() -> db.blocking().dump(s -> { })).isInstanceOf(SqliteClosedException.class);
    }
}
