package io.sqliteasync.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.BatchMode;
import io.sqliteasync.ExecuteResult;
import io.sqliteasync.Row;
import io.sqliteasync.SqlClient;
import io.sqliteasync.SqliteException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link SqlClient} shares, written once and run for each kind of client and for the blocking
 * view of each (through {@link BlockingAsAsync}). A subclass opens its client on a file that already holds the table
 * {@code item} with {@value #SEEDED} rows ({@code id} 1.., {@code name} "n1".., {@code qty} = id).
 */
public abstract class SqlClientContract {
    /** The number of rows in {@code item} when a test starts. */
    public static final int SEEDED = 100;

    @TempDir
    Path dir;

    protected SqlClient client;
    private final Fixtures.Fixture fixture;

    /**
     * A contract run.
     *
     * @param fixture opens the client under test on a seeded file and ends it (closes it, or ends its transaction or
     *     snapshot)
     */
    protected SqlClientContract(Fixtures.Fixture fixture) {
        this.fixture = fixture;
    }

    private SqlClient open(Path file) {
        return fixture.open(file);
    }

    private void end() {
        fixture.end();
    }

    private boolean writes() {
        return fixture.writes();
    }

    @BeforeEach
    void openClient() throws Exception {
        Path file = dir.resolve("contract.db");
        seed(file);
        client = open(file);
    }

    /**
     * Creates and fills the table {@code item} in the database the fixture opens for {@code file}. A subclass for
     * another engine (in another module's tests) seeds its own database instead.
     *
     * @param file the file the fixture is given
     */
    protected void seed(Path file) {
        try (AsyncConnection c = AsyncConnection.open(file.toString()).join()) {
            c.executeScript("PRAGMA journal_mode = WAL;"
                    + " CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER)").join();
            List<Object[]> sets = new ArrayList<>();
            for (int i = 1; i <= SEEDED; i++) {
                sets.add(new Object[] {"n" + i, i});
            }
            c.executeMany("INSERT INTO item(name, qty) VALUES (?, ?)", sets).join();
        }
    }

    @AfterEach
    void endClient() throws Exception {
        end();
    }

    record Item(long id, String name, long qty) {
    }

    static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the call failed", e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static SqliteException failure(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SqliteException.class);
            return (SqliteException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the call succeeded");
    }

    long count() {
        return get(client.fetchOne("SELECT count(*) FROM item")).getLong(0);
    }

    void assertUsable() {
        assertThat(count()).isGreaterThanOrEqualTo(SEEDED);
    }

    // ------------------------------------------------------------------ writes

    @Test
    void executeReportsRowsUpdatedAndTheLastInsertRowid() {
        if (!writes()) {
            assertWritesRefused();
            return;
        }
        ExecuteResult inserted = get(client.execute("INSERT INTO item(name, qty) VALUES (?, ?)", "new", 7));
        assertThat(inserted.rowsUpdated()).isEqualTo(1);
        assertThat(inserted.lastInsertRowid()).isEqualTo(SEEDED + 1);
        ExecuteResult updated = get(client.execute("UPDATE item SET qty = qty + 1 WHERE id <= ?", 10));
        assertThat(updated.rowsUpdated()).isEqualTo(10);
        assertThat(get(client.fetchOne("SELECT qty FROM item WHERE name = ?", "new")).getLong(0)).isEqualTo(7);
    }

    @Test
    void executeManyIsAllOrNothingAtomicallyAndKeepsEarlierSetsInAutocommitMode() {
        if (!writes()) {
            assertWritesRefused();
            return;
        }
        ExecuteResult r = get(client.executeMany("INSERT INTO item(name, qty) VALUES (?, ?)",
                List.of(new Object[] {"a", 1}, List.of("b", 2), new Object[] {"c", 3})));
        assertThat(r.rowsUpdated()).isEqualTo(3);
        assertThat(count()).isEqualTo(SEEDED + 3);

        SqliteException atomic = failure(client.executeMany("INSERT INTO item(name, qty) VALUES (?, ?)",
                List.of(new Object[] {"d", 4}, new Object[] {"n1", 5})));
        assertThat(atomic.resultCode()).isEqualTo(SqliteException.SQLITE_CONSTRAINT);
        assertThat(count()).isEqualTo(SEEDED + 3);

        failure(client.executeMany("INSERT INTO item(name, qty) VALUES (?, ?)",
                List.of(new Object[] {"e", 4}, new Object[] {"n2", 5}), BatchMode.AUTOCOMMIT));
        assertThat(count()).isEqualTo(SEEDED + 4);
    }

    @Test
    void executeScriptRunsEveryStatement() {
        if (!writes()) {
            assertWritesRefused();
            return;
        }
        get(client.executeScript("CREATE TABLE extra (v INTEGER); INSERT INTO extra VALUES (1); "
                + "INSERT INTO extra VALUES (2);"));
        assertThat(get(client.fetchOne("SELECT sum(v) FROM extra")).getLong(0)).isEqualTo(3);
    }

    void assertWritesRefused() {
        for (CompletableFuture<?> f : List.of(client.execute("INSERT INTO item(name) VALUES ('x')"),
                client.executeMany("INSERT INTO item(name) VALUES (?)", List.<Object[]>of(new Object[] {"y"})),
                client.executeScript("INSERT INTO item(name) VALUES ('z')"))) {
            SqliteException e = failure(f);
            assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_READONLY);
            assertThat(e.getMessage()).contains("read-only").contains("Database.execute");
        }
        assertThat(count()).isEqualTo(SEEDED);
    }

    // ------------------------------------------------------------------ queries

    @Test
    void fetchAllReturnsEveryRowInOrderAndMapsByClassAndByMapper() {
        List<Row> rows = get(client.fetchAll("SELECT id, name FROM item WHERE id <= ? ORDER BY id", 5));
        assertThat(rows).extracting(row -> row.getString("name")).containsExactly("n1", "n2", "n3", "n4", "n5");

        List<Item> items = get(client.fetchAll("SELECT id, name, qty FROM item WHERE id <= 3 ORDER BY id",
                Item.class));
        assertThat(items).containsExactly(new Item(1, "n1", 1), new Item(2, "n2", 2), new Item(3, "n3", 3));
        List<Long> qty = get(client.fetchAll("SELECT qty FROM item WHERE id <= 3 ORDER BY id", Long.class));
        assertThat(qty).containsExactly(1L, 2L, 3L);
        List<String> mapped = get(client.fetchAll("SELECT name FROM item WHERE id > ? ORDER BY id",
                row -> row.getString(0).toUpperCase(), SEEDED - 2));
        assertThat(mapped).containsExactly("N99", "N100");
    }

    @Test
    void fetchOneAndFetchOptionalHaveThePlainClassAndMapperOverloads() {
        assertThat(get(client.fetchOne("SELECT name FROM item WHERE id = ?", 4)).getString(0)).isEqualTo("n4");
        assertThat(get(client.fetchOne("SELECT name FROM item WHERE id = ?", -1))).isNull();
        assertThat(get(client.fetchOne("SELECT id, name, qty FROM item WHERE id = ?", Item.class, 4)))
                .isEqualTo(new Item(4, "n4", 4));
        Long tens = get(client.fetchOne("SELECT qty FROM item WHERE id = ?", row -> row.getLong(0) * 10, 4));
        assertThat(tens).isEqualTo(40L);

        assertThat(get(client.fetchOptional("SELECT name FROM item WHERE id = ?", 5))).map(r -> r.getString(0))
                .contains("n5");
        assertThat(get(client.fetchOptional("SELECT name FROM item WHERE id = ?", -1))).isEmpty();
        assertThat(get(client.fetchOptional("SELECT id, name, qty FROM item WHERE id = ?", Item.class, 6)))
                .contains(new Item(6, "n6", 6));
        assertThat(get(client.fetchOptional("SELECT name FROM item WHERE id = ?", String.class, -1))).isEmpty();
        Optional<String> upper = get(client.fetchOptional("SELECT name FROM item WHERE id = ?",
                row -> row.getString(0).toUpperCase(), 7));
        assertThat(upper).contains("N7");
    }

    @Test
    void namedParametersBindFromAMapAndARecord() {
        record Range(long low, long high) {
        }
        assertThat(get(client.fetchOne("SELECT count(*) FROM item WHERE id BETWEEN :low AND :high",
                Map.of("low", 10, "high", 19))).getLong(0)).isEqualTo(10);
        assertThat(get(client.fetchAll("SELECT id FROM item WHERE id BETWEEN @low AND $high", Long.class,
                new Range(3, 5)))).containsExactly(3L, 4L, 5L);
    }

    // ------------------------------------------------------------------ cursors and streams

    @Test
    void aCursorPagesThroughTheRowsAndCloses() {
        io.sqliteasync.Cursor cursor = get(client.cursor("SELECT id FROM item WHERE id <= ? ORDER BY id", 25));
        assertThat(cursor.columnNames()).containsExactly("id");
        assertThat(get(cursor.fetchMany(10))).hasSize(10);
        assertThat(get(cursor.fetchOne()).getLong(0)).isEqualTo(11);
        assertThat(get(cursor.fetchAll())).hasSize(14);
        assertThat(get(cursor.fetchMany(5))).isEmpty();
        cursor.close();

        io.sqliteasync.Cursor early = get(client.cursor("SELECT id FROM item ORDER BY id"));
        assertThat(get(early.fetchMany(3))).hasSize(3);
        get(early.closeAsync());
        assertThat(failure(early.fetchOne())).isNotNull();
        assertUsable();
    }

    @Test
    void aStreamDeliversOnlyWhatWasRequestedAndCompletes() throws Exception {
        Probe probe = new Probe();
        client.stream("SELECT id FROM item ORDER BY id").subscribe(probe);
        probe.awaitSubscribed();
        probe.subscription.request(5);
        probe.awaitRows(5);
        // Nothing beyond the demand arrives, however long we look: wait for a full round trip to pass first.
        assertUsable();
        assertThat(probe.rows).hasSize(5);
        probe.subscription.request(Long.MAX_VALUE);
        assertThat(probe.done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.error).isNull();
        assertThat(probe.rows).hasSize(SEEDED);
        assertThat(probe.rows.get(SEEDED - 1)).isEqualTo((long) SEEDED);
    }

    @Test
    void aCancelledStreamStopsAndLeavesTheClientUsable() throws Exception {
        Probe probe = new Probe();
        client.stream("SELECT id FROM item ORDER BY id").subscribe(probe);
        probe.awaitSubscribed();
        probe.subscription.request(3);
        probe.awaitRows(3);
        probe.subscription.cancel();
        assertUsable();
        assertThat(probe.rows).hasSize(3);
        assertThat(probe.error).isNull();
        if (writes()) {
            // DROP TABLE fails while any statement of this connection is still active.
            get(client.execute("CREATE TABLE scratch (v)"));
            get(client.execute("DROP TABLE scratch"));
        }
    }

    /** A subscriber that records what it is given. */
    static final class Probe implements Flow.Subscriber<Row> {
        final List<Long> rows = java.util.Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch subscribed = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        volatile Flow.Subscription subscription;
        volatile Throwable error;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            subscribed.countDown();
        }

        @Override
        public void onNext(Row item) {
            rows.add(item.getLong(0));
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            done.countDown();
        }

        @Override
        public void onComplete() {
            done.countDown();
        }

        void awaitSubscribed() throws InterruptedException {
            assertThat(subscribed.await(30, TimeUnit.SECONDS)).isTrue();
        }

        void awaitRows(int n) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (rows.size() < n && error == null && System.nanoTime() < end) {
                Thread.sleep(1);
            }
            assertThat(error).isNull();
            assertThat(rows).hasSize(n);
        }
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void wrongSqlFailsAndTheClientStaysUsable() {
        assertThat(failure(client.fetchAll("SELEC nothing")).resultCode()).isEqualTo(SqliteException.SQLITE_ERROR);
        assertThat(failure(client.fetchOne("SELECT * FROM nowhere")).getMessage()).contains("nowhere");
        assertThat(failure(client.cursor("SELECT * FROM nowhere"))).isNotNull();
        if (writes()) {
            assertThat(failure(client.execute("INSERT INTO nowhere VALUES (1)")).getMessage()).contains("nowhere");
        }
        assertUsable();
    }

    @Test
    void aWrongNumberOfParametersFailsBeforeAnythingRuns() {
        assertThat(failure(client.fetchAll("SELECT * FROM item WHERE id = ?", 1, 2)).resultCode())
                .isEqualTo(SqliteException.SQLITE_RANGE);
        assertThat(failure(client.fetchOne("SELECT * FROM item WHERE id = ? AND qty = ?", 1)).resultCode())
                .isEqualTo(SqliteException.SQLITE_RANGE);
        if (writes()) {
            assertThat(failure(client.execute("INSERT INTO item(name, qty) VALUES (?, ?)", "only")).resultCode())
                    .isEqualTo(SqliteException.SQLITE_RANGE);
            assertThat(count()).isEqualTo(SEEDED);
        }
        assertUsable();
    }

    @Test
    void anUnsupportedParameterTypeFailsNamingIt() {
        SqliteException e = failure(client.fetchAll("SELECT * FROM item WHERE id = ?", new Object()));
        assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_MISMATCH);
        assertThat(e.getMessage()).contains("java.lang.Object");
        assertUsable();
    }

    @Test
    void sqlTextWithANulCharacterIsRefused() {
        assertThat(failure(client.fetchAll("SELECT 1\0; DROP TABLE item"))).isNotNull();
        if (writes()) {
            assertThat(failure(client.executeScript("SELECT 1;\0 DROP TABLE item"))).isNotNull();
        }
        assertThat(count()).isEqualTo(SEEDED);
    }

    @Test
    void aClosedOrEndedClientFailsEveryCall() throws Exception {
        end();
        for (CompletableFuture<?> f : List.of(client.execute("INSERT INTO item(name) VALUES ('late')"),
                client.fetchAll("SELECT 1"), client.fetchOne("SELECT 1"), client.cursor("SELECT 1"))) {
            SqliteException e = failure(f);
            assertThat(e.getMessage()).containsAnyOf("closed", "ended");
        }
        Probe probe = new Probe();
        client.stream("SELECT 1").subscribe(probe);
        probe.awaitSubscribed();
        probe.subscription.request(1);
        assertThat(probe.done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.error).isInstanceOf(SqliteException.class);
    }

    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
