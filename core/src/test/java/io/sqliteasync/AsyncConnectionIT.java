package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every call of {@link AsyncConnection} against a real database file. */
class AsyncConnectionIT {
    @TempDir
    Path dir;
    AsyncConnection db;

    @BeforeEach
    void open() {
        db = AsyncConnection.open(dir.resolve("test.db").toString()).join();
        db.executeScript("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, age INTEGER);"
                + "INSERT INTO users(name, age) VALUES ('alice', 30), ('bob', 24), ('carol', 41);").join();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void executeReportsRowsChangedAndLastInsertRowid() {
        ExecuteResult insert = db.execute("INSERT INTO users(name, age) VALUES (?, ?)", "dave", 19).join();
        assertThat(insert).isEqualTo(new ExecuteResult(1, 4));
        ExecuteResult update = db.execute("UPDATE users SET age = age + 1 WHERE age > ?", 25).join();
        assertThat(update.rowsUpdated()).isEqualTo(2);
        ExecuteResult ddl = db.execute("CREATE TABLE other(x)").join();
        assertThat(ddl.rowsUpdated()).isZero();
        ExecuteResult select = db.execute("SELECT * FROM users").join();
        assertThat(select.rowsUpdated()).isZero();
        assertThat(db.execute("DELETE FROM users").join().rowsUpdated()).isEqualTo(4);
    }

    @Test
    void executeManyIsAtomicByDefault() {
        ExecuteResult r = db.executeMany("INSERT INTO users(name, age) VALUES (?, ?)",
                List.of(new Object[] {"e1", 1}, List.of("e2", 2), new Object[] {"e3", 3})).join();
        assertThat(r.rowsUpdated()).isEqualTo(3);
        assertThat(r.lastInsertRowid()).isEqualTo(6);

        // The third set violates UNIQUE: nothing of this batch may stay.
        assertThatThrownBy(() -> db.executeMany("INSERT INTO users(name, age) VALUES (?, ?)",
                List.of(new Object[] {"f1", 1}, new Object[] {"f2", 2}, new Object[] {"alice", 3})).join())
                .hasCauseInstanceOf(SqliteConstraintException.class);
        assertThat(count("SELECT count(*) FROM users WHERE name LIKE 'f%'")).isZero();
        assertThat(db.isInTransaction().join()).isFalse();
    }

    @Test
    void executeManyInsideTransactionUsesASavepointAndKeepsOuterWork() {
        db.execute("BEGIN").join();
        db.execute("INSERT INTO users(name) VALUES ('outer')").join();
        assertThatThrownBy(() -> db.executeMany("INSERT INTO users(name) VALUES (?)",
                List.of(List.of("in1"), List.of("alice"))).join()).hasCauseInstanceOf(SqliteConstraintException.class);
        assertThat(db.isInTransaction().join()).isTrue();
        db.commit().join();
        assertThat(count("SELECT count(*) FROM users WHERE name IN ('outer', 'in1')")).isEqualTo(1);
    }

    @Test
    void executeManyAutocommitKeepsSetsBeforeTheFailure() {
        assertThatThrownBy(() -> db.executeMany("INSERT INTO users(name) VALUES (?)",
                List.of(List.of("g1"), List.of("g2"), List.of("alice"), List.of("g4")), BatchMode.AUTOCOMMIT).join())
                .hasCauseInstanceOf(SqliteConstraintException.class);
        assertThat(count("SELECT count(*) FROM users WHERE name LIKE 'g%'")).isEqualTo(2);
    }

    @Test
    void executeManyRejectsBadSetsBeforeRunningAny() {
        assertThatThrownBy(() -> db.executeMany("INSERT INTO users(name, age) VALUES (?, ?)",
                List.of(new Object[] {"h1", 1}, new Object[] {"h2"})).join())
                .cause().isInstanceOf(SqliteException.class)
                .hasMessageContaining("parameter set 1").hasMessageContaining("takes 2, 1 given");
        assertThatThrownBy(() -> db.executeMany("INSERT INTO users(name) VALUES (?)", List.of("not a set")).join())
                .cause().hasMessageContaining("parameter set 0");
        assertThat(count("SELECT count(*) FROM users WHERE name LIKE 'h%'")).isZero();
        assertThat(db.executeMany("INSERT INTO users(name) VALUES (?)", List.of()).join().rowsUpdated()).isZero();
    }

    @Test
    void executeScriptRunsEveryStatement() {
        db.executeScript("CREATE TABLE a(x); INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);\n"
                + "-- a comment\nUPDATE a SET x = x * 10;").join();
        assertThat(db.fetchAll("SELECT x FROM a ORDER BY x").join()).extracting(r -> r.getLong(0))
                .containsExactly(10L, 20L);
    }

    @Test
    void fetchVariants() {
        List<Row> all = db.fetchAll("SELECT id, name, age FROM users WHERE age > ? ORDER BY id", 20).join();
        assertThat(all).extracting(r -> r.getString("name")).containsExactly("alice", "bob", "carol");
        assertThat(all.get(0).toMap()).containsExactly(
                java.util.Map.entry("id", 1L), java.util.Map.entry("name", "alice"), java.util.Map.entry("age", 30L));

        Row first = db.fetchOne("SELECT name FROM users ORDER BY age DESC").join();
        assertThat(first.getString(0)).isEqualTo("carol");
        assertThat(db.fetchOne("SELECT name FROM users WHERE id = ?", 99).join()).isNull();
        assertThat(db.fetchOptional("SELECT name FROM users WHERE id = ?", 2).join())
                .map(r -> r.getString("NAME")).contains("bob");
        assertThat(db.fetchOptional("SELECT name FROM users WHERE id = ?", 99).join()).isEqualTo(Optional.empty());
    }

    @Test
    void rowsCarryStorageClassesAndConvert() {
        Row r = db.fetchOne("SELECT 42 AS i, 2.5 AS f, 'txt' AS t, x'0102' AS b, NULL AS n, '17' AS s").join();
        assertThat(r.get("i")).isEqualTo(42L);
        assertThat(r.get("f")).isEqualTo(2.5);
        assertThat(r.get("t")).isEqualTo("txt");
        assertThat((byte[]) r.get("b")).containsExactly(1, 2);
        assertThat(r.get("n")).isNull();
        assertThat(r.isNull("n")).isTrue();
        assertThat(r.getInt("i")).isEqualTo(42);
        assertThat(r.getLong("s")).isEqualTo(17L);
        assertThat(r.get("i", String.class)).isEqualTo("42");
        assertThat(r.getBoolean("i")).isTrue();
        assertThatThrownBy(() -> r.get("t", Long.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'t'").hasMessageContaining("java.lang.Long");
        assertThatThrownBy(() -> r.get("missing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no column named 'missing'");
    }

    @Test
    void cursorStepsOnlyWhenFetched() {
        // SQLite evaluates the WHERE clause once per row it steps: the function counts the rows stepped so far.
        AtomicInteger stepped = new AtomicInteger();
        db.createFunction("stepped", 1, args -> {
            stepped.incrementAndGet();
            return 1;
        }).join();
        Cursor c = db.cursor("SELECT id, name, age, age * 2 AS twice FROM users WHERE stepped(id) ORDER BY id").join();
        assertThat(c.columnNames()).containsExactly("id", "name", "age", "twice");
        assertThat(c.declaredTypes()).containsExactly("INTEGER", "TEXT", "INTEGER", null);
        assertThat(c.fetchOne().join().getString("name")).isEqualTo("alice");
        assertThat(c.fetchMany(1).join()).extracting(r -> r.getString(1)).containsExactly("bob");
        assertThat(stepped.get()).isEqualTo(2);
        assertThat(c.fetchAll().join()).extracting(r -> r.getString(1)).containsExactly("carol");
        assertThat(c.fetchOne().join()).isNull();
        assertThat(c.fetchMany(5).join()).isEmpty();
        c.close();
    }

    @Test
    void closedCursorFailsAndReleasesItsStatement() {
        Cursor c = db.cursor("SELECT * FROM users").join();
        c.fetchOne().join();
        // An open cursor keeps the statement active, which makes DROP TABLE fail.
        assertThatThrownBy(() -> db.execute("DROP TABLE users").join()).hasCauseInstanceOf(SqliteBusyException.class);
        c.close();
        assertThatThrownBy(() -> c.fetchOne().join()).hasCauseInstanceOf(SqliteClosedException.class)
                .hasMessageContaining("cursor is closed");
        db.execute("DROP TABLE users").join();
    }

    @Test
    void streamDeliversEveryRowThenCompletes() throws Exception {
        List<Row> rows = collect(db.stream("SELECT name FROM users WHERE age > ? ORDER BY id", 0));
        assertThat(rows).extracting(r -> r.getString(0)).containsExactly("alice", "bob", "carol");
    }

    @Test
    void streamReportsErrorsToOnError() throws Exception {
        AtomicReference<Throwable> error = new AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        db.stream("SELECT * FROM no_such_table").subscribe(new Flow.Subscriber<>() {
            public void onSubscribe(Flow.Subscription s) {
                s.request(1);
            }

            public void onNext(Row item) {
            }

            public void onError(Throwable t) {
                error.set(t);
                done.complete(null);
            }

            public void onComplete() {
                done.complete(null);
            }
        });
        done.get(10, TimeUnit.SECONDS);
        assertThat(error.get()).isInstanceOf(SqliteException.class).hasMessageContaining("no such table");
    }

    @Test
    void streamRejectsNonPositiveRequests() throws Exception {
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        db.stream("SELECT * FROM users").subscribe(new Flow.Subscriber<>() {
            public void onSubscribe(Flow.Subscription s) {
                s.request(0);
            }

            public void onNext(Row item) {
                error.completeExceptionally(new AssertionError("no row expected"));
            }

            public void onError(Throwable t) {
                error.complete(t);
            }

            public void onComplete() {
                error.completeExceptionally(new AssertionError("no completion expected"));
            }
        });
        assertThat(error.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3.9");
    }

    @Test
    void commitRollbackAndTransactionState() {
        assertThat(db.isInTransaction().join()).isFalse();
        db.commit().join();
        db.rollback().join();
        db.execute("BEGIN IMMEDIATE").join();
        assertThat(db.isInTransaction().join()).isTrue();
        db.execute("INSERT INTO users(name) VALUES ('tx1')").join();
        db.rollback().join();
        assertThat(db.isInTransaction().join()).isFalse();
        assertThat(count("SELECT count(*) FROM users WHERE name = 'tx1'")).isZero();

        db.execute("BEGIN").join();
        db.execute("INSERT INTO users(name) VALUES ('tx2')").join();
        db.commit().join();
        assertThat(count("SELECT count(*) FROM users WHERE name = 'tx2'")).isEqualTo(1);
    }

    @Test
    void runGivesTheRawConnectionOnTheWorkerThread() {
        AtomicReference<Thread> ran = new AtomicReference<>();
        long n = db.run(conn -> {
            ran.set(Thread.currentThread());
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM users")) {
                rs.next();
                return rs.getLong(1);
            }
        }).join();
        assertThat(n).isEqualTo(3);
        assertThat(ran.get().getName()).startsWith("sqlite-async-connection-");
        assertThat(ran.get().isDaemon()).isTrue();
        assertThatThrownBy(() -> db.run(conn -> {
            throw new IllegalStateException("boom");
        }).join()).cause().isInstanceOf(SqliteException.class).hasRootCauseMessage("boom");
        assertThat(count("SELECT count(*) FROM users")).isEqualTo(3);
    }

    @Test
    void blockingViewMirrorsTheCalls() {
        BlockingConnection b = db.blocking();
        assertThat(b.execute("INSERT INTO users(name) VALUES (?)", "zed").lastInsertRowid()).isEqualTo(4);
        assertThat(b.executeMany("INSERT INTO users(name) VALUES (?)", List.of(List.of("y1"), List.of("y2")))
                .rowsUpdated()).isEqualTo(2);
        assertThat(b.executeMany("INSERT INTO users(name) VALUES (?)", List.of(List.of("y3")), BatchMode.AUTOCOMMIT)
                .rowsUpdated()).isEqualTo(1);
        b.executeScript("CREATE TABLE k(v); INSERT INTO k VALUES (7)");
        assertThat(b.fetchOne("SELECT v FROM k").getLong(0)).isEqualTo(7);
        assertThat(b.fetchOptional("SELECT v FROM k WHERE v = 8")).isEmpty();
        assertThat(b.fetchAll("SELECT * FROM users")).hasSize(7);
        try (BlockingCursor c = b.cursor("SELECT id FROM users ORDER BY id")) {
            assertThat(c.columnNames()).containsExactly("id");
            assertThat(c.fetchOne().getLong(0)).isEqualTo(1);
            assertThat(c.fetchMany(2)).hasSize(2);
            assertThat(c.fetchAll()).hasSize(4);
        }
        try (var s = b.stream("SELECT id FROM users ORDER BY id")) {
            assertThat(s.mapToLong(r -> r.getLong(0)).sum()).isEqualTo(28);
        }
        b.execute("BEGIN");
        assertThat(b.isInTransaction()).isTrue();
        b.rollback();
        b.execute("BEGIN");
        b.commit();
        boolean closedInside = b.run(conn -> conn.isClosed());
        assertThat(closedInside).isFalse();
        assertThatThrownBy(() -> b.execute("INSERT INTO users(name) VALUES ('alice')"))
                .isInstanceOf(SqliteConstraintException.class)
                .satisfies(e -> assertThat(((SqliteConstraintException) e).kind())
                        .isEqualTo(SqliteConstraintException.Kind.UNIQUE));
    }

    @Test
    void blockingStreamClosedEarlyResetsItsStatement() {
        BlockingConnection b = db.blocking();
        try (var s = b.stream("SELECT id FROM users")) {
            assertThat(s.findFirst()).isPresent();
        }
        b.execute("DROP TABLE users");
    }

    @Test
    void completionExecutorRunsCompletions() throws Exception {
        ExecutorService exec = Executors.newSingleThreadExecutor(r -> new Thread(r, "completions"));
        try (AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("exec.db").toString())
                .completionExecutor(exec).workerThreadName("my-worker").build()).join()) {
            // The gate keeps each future incomplete until its stage is attached, so the stage runs where it completes.
            CompletableFuture<Object> gate = new CompletableFuture<>();
            CompletableFuture<String> thread = c.run(conn -> gate.join()).thenApply(r -> Thread.currentThread().getName());
            CompletableFuture<String> failedOn = c.fetchOne("SELEC 1").handle((r, t) -> Thread.currentThread().getName());
            gate.complete("go");
            assertThat(thread.join()).isEqualTo("completions");
            assertThat(failedOn.join()).isEqualTo("completions");
            assertThat(c.run(conn -> Thread.currentThread().getName()).join()).isEqualTo("my-worker");
        } finally {
            exec.shutdown();
        }
    }

    @Test
    void defaultCompletionIsOnTheWorker() {
        String thread = db.fetchOne("SELECT 1").thenApply(r -> Thread.currentThread().getName()).join();
        // The future may already be complete when thenApply attaches; then the caller runs the stage.
        assertThat(thread).isIn(Thread.currentThread().getName(), workerName());
        CompletableFuture<String> gate = new CompletableFuture<>();
        CompletableFuture<String> later = db.run(conn -> gate.join())
                .thenCompose(x -> db.fetchOne("SELECT 1")).thenApply(r -> Thread.currentThread().getName());
        gate.complete("go");
        assertThat(later.join()).isEqualTo(workerName());
    }

    @Test
    void pragmasFromOptionsRunOnOpen() {
        try (AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("p.db").toString())
                .pragma("journal_mode", "WAL").pragma("user_version", "7").build()).join()) {
            assertThat(c.fetchOne("PRAGMA journal_mode").join().getString(0)).isEqualTo("wal");
            assertThat(c.fetchOne("PRAGMA user_version").join().getLong(0)).isEqualTo(7);
            assertThat(c.fetchOne("PRAGMA busy_timeout").join().getLong(0)).isEqualTo(5000);
        }
    }

    @Test
    void memoryAndUriDatabases() {
        try (AsyncConnection mem = AsyncConnection.open(":memory:").join()) {
            mem.execute("CREATE TABLE m(x)").join();
            assertThat(mem.execute("INSERT INTO m VALUES (1)").join().rowsUpdated()).isEqualTo(1);
        }
        String file = dir.resolve("uri.db").toString();
        try (AsyncConnection rw = AsyncConnection.open("file:" + file + "?mode=rwc").join()) {
            rw.execute("CREATE TABLE u(x)").join();
        }
        try (AsyncConnection ro = AsyncConnection.open("file:" + file + "?mode=ro").join()) {
            assertThat(ro.fetchAll("SELECT * FROM u").join()).isEmpty();
            assertThatThrownBy(() -> ro.execute("INSERT INTO u VALUES (1)").join()).cause()
                    .isInstanceOf(SqliteException.class).hasMessageContaining("readonly");
        }
    }

    @Test
    void statementCacheOffStillWorks() {
        try (AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("nc.db").toString())
                .statementCacheSize(0).build()).join()) {
            for (int i = 0; i < 5; i++) {
                assertThat(c.fetchOne("SELECT ? + 1", i).join().getLong(0)).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void sameSqlInTwoOpenCursorsUsesTwoStatements() {
        Cursor a = db.cursor("SELECT id FROM users ORDER BY id").join();
        Cursor b = db.cursor("SELECT id FROM users ORDER BY id").join();
        assertThat(a.fetchOne().join().getLong(0)).isEqualTo(1);
        assertThat(b.fetchOne().join().getLong(0)).isEqualTo(1);
        assertThat(a.fetchOne().join().getLong(0)).isEqualTo(2);
        assertThat(b.fetchAll().join()).hasSize(2);
        assertThat(a.fetchAll().join()).hasSize(1);
        assertThat(db.fetchAll("SELECT id FROM users ORDER BY id").join()).hasSize(3);
    }

    private String workerName() {
        return db.run(conn -> Thread.currentThread().getName()).join();
    }

    private long count(String sql) {
        return db.fetchOne(sql).join().getLong(0);
    }

    static List<Row> collect(Flow.Publisher<Row> publisher) throws Exception {
        List<Row> rows = new ArrayList<>();
        CompletableFuture<List<Row>> done = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<>() {
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            public void onNext(Row item) {
                rows.add(item);
            }

            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            public void onComplete() {
                done.complete(rows);
            }
        });
        return done.get(30, TimeUnit.SECONDS);
    }

}
