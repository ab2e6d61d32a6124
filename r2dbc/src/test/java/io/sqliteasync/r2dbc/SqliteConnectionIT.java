package io.sqliteasync.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.sqliteasync.DatabaseOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Driver behaviour beyond the TCK, against a WAL file database with two readers. */
class SqliteConnectionIT {
    /** Runs until stopped: the way to prove that cancelling and timeouts stop SQLite itself. */
    static final String ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
            + " SELECT sum(x) FROM c";

    @TempDir
    Path dir;
    SqliteConnectionFactory factory;

    @BeforeEach
    void open() {
        factory = SqliteConnectionFactory.of(DatabaseOptions.builder(dir.resolve("it.db").toString()).readers(2)
                .build());
        update("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, big BIGINT, score REAL, data BLOB,"
                + " body CLOB, day DATE, tag UUID, n NUMERIC)");
    }

    @AfterEach
    void close() {
        factory.close();
    }

    @Test
    void columnTypesComeFromDeclaredTypesAndCodecs() {
        UUID tag = UUID.randomUUID();
        SqliteConnection c = connect();
        Flux.from(c.createStatement("INSERT INTO t (id, name, big, score, data, body, day, tag) VALUES"
                + " (?, ?, ?, ?, ?, ?, ?, ?)").bind(0, 1).bind(1, "a").bind(2, 5_000_000_000L).bind(3, 1.5)
                .bind(4, ByteBuffer.wrap(new byte[] {1, 2})).bind(5, "text").bind(6, LocalDate.of(2024, 2, 29))
                .bind(7, tag).execute()).flatMap(Result::getRowsUpdated).blockLast();
        List<Object> values = Flux.from(c.createStatement("SELECT id, name, big, score, data, body, day, tag,"
                + " count(*) AS cnt FROM t").execute())
                .flatMap(r -> r.map((row, md) -> {
                    List<Object> out = new ArrayList<>();
                    for (int i = 0; i < md.getColumnMetadatas().size(); i++) {
                        ColumnMetadata cm = md.getColumnMetadata(i);
                        out.add(cm.getJavaType().getSimpleName() + "=" + row.get(i));
                    }
                    out.add(row.get("big", Long.class));
                    out.add(row.get("id", Long.class));
                    out.add(row.get("day", String.class));
                    return out;
                })).blockFirst();
        assertThat(values).containsExactly("Integer=1", "String=a", "Long=5000000000", "Double=1.5",
                "ByteBuffer=" + ByteBuffer.wrap(new byte[] {1, 2}), "String=text", "LocalDate=2024-02-29",
                "UUID=" + tag, "Object=1", 5_000_000_000L, 1L, "2024-02-29");
        c.close().block();
    }

    @Test
    void blobAndClobRoundTrip() {
        byte[] bytes = new byte[100_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        SqliteConnection c = connect();
        Flux.from(c.createStatement("INSERT INTO t (id, data, body) VALUES (1, $d, $b)")
                .bind("d", Blob.from(Flux.just(ByteBuffer.wrap(bytes, 0, 50_000),
                        ByteBuffer.wrap(bytes, 50_000, 50_000))))
                .bind("$b", Clob.from(Flux.just("hello ", "world"))).execute())
                .flatMap(Result::getRowsUpdated).blockLast();
        byte[] back = Flux.from(c.createStatement("SELECT data FROM t").execute())
                .flatMap(r -> r.map((row, md) -> row.get(0, Blob.class)))
                .flatMap(b -> Flux.from(b.stream()).reduce(ByteBuffer.allocate(bytes.length), ByteBuffer::put))
                .map(ByteBuffer::array).blockFirst();
        assertThat(back).isEqualTo(bytes);
        String body = Flux.from(c.createStatement("SELECT body FROM t").execute())
                .flatMap(r -> r.map((row, md) -> row.get(0, Clob.class)))
                .flatMap(cl -> Flux.from(cl.stream()).reduce(new StringBuilder(), StringBuilder::append))
                .map(Object::toString).blockFirst();
        assertThat(body).isEqualTo("hello world");
        c.close().block();
    }

    @Test
    void connectionsShareOneWriterSoConcurrentTransactionsNeverSeeBusy() {
        int connections = 8;
        int perConnection = 25;
        update("CREATE TABLE counter (n INTEGER NOT NULL)");
        update("INSERT INTO counter VALUES (0)");
        Flux.range(0, connections).flatMap(i -> Flux.usingWhen(factory.create(),
                c -> Flux.range(0, perConnection).concatMap(j -> Mono.from(c.beginTransaction())
                        .thenMany(c.createStatement("SELECT n FROM counter").execute())
                        .flatMap(r -> r.map((row, md) -> row.get(0, Long.class)))
                        .single()
                        // Read-modify-write: lost updates would show if two transactions overlapped.
                        .flatMapMany(n -> c.createStatement("UPDATE counter SET n = ?").bind(0, n + 1).execute())
                        .flatMap(Result::getRowsUpdated)
                        .then(Mono.from(c.commitTransaction()))),
                Connection::close).subscribeOn(Schedulers.parallel()), connections).blockLast(Duration.ofSeconds(60));
        assertThat(value("SELECT n FROM counter")).isEqualTo(connections * perConnection);
    }

    @Test
    void transactionSeesItsOwnWritesAndOthersDoNotUntilCommit() {
        SqliteConnection a = connect();
        SqliteConnection b = connect();
        a.beginTransaction().block();
        assertThat(a.isAutoCommit()).isFalse();
        rows(a, "INSERT INTO t (id, name) VALUES (1, 'x')");
        assertThat(rows(a, "SELECT name FROM t")).containsExactly("x");
        assertThat(rows(b, "SELECT name FROM t")).isEmpty();
        a.commitTransaction().block();
        assertThat(a.isAutoCommit()).isTrue();
        assertThat(rows(b, "SELECT name FROM t")).containsExactly("x");
        a.close().block();
        b.close().block();
    }

    @Test
    void aFailedStatementLeavesTheTransactionOpen() {
        SqliteConnection a = connect();
        a.beginTransaction().block();
        rows(a, "INSERT INTO t (id, name) VALUES (1, 'x')");
        assertThatThrownBy(() -> rows(a, "INSERT INTO t (id, name) VALUES (2, 'x')"))
                .isInstanceOf(R2dbcDataIntegrityViolationException.class);
        assertThat(a.isAutoCommit()).isFalse();
        rows(a, "INSERT INTO t (id, name) VALUES (3, 'y')");
        assertThat(value("SELECT count(*) FROM t")).isEqualTo(0L);
        a.commitTransaction().block();
        assertThat(value("SELECT count(*) FROM t")).isEqualTo(2L);
        a.close().block();
    }

    @Test
    void autoCommitOffBeginsLazilyAndCommitsWhenSwitchedBack() {
        SqliteConnection a = connect();
        a.setAutoCommit(false).block();
        assertThat(a.isAutoCommit()).isFalse();
        rows(a, "INSERT INTO t (id, name) VALUES (1, 'x')");
        a.rollbackTransaction().block();
        assertThat(value("SELECT count(*) FROM t")).isEqualTo(0L);
        rows(a, "INSERT INTO t (id, name) VALUES (2, 'y')");
        a.setAutoCommit(true).block();
        assertThat(rows(connect(), "SELECT name FROM t")).containsExactly("y");
        a.close().block();
    }

    @Test
    void closingWithAnOpenTransactionRollsBackAndFreesTheWriter() {
        SqliteConnection a = connect();
        a.beginTransaction().block();
        rows(a, "INSERT INTO t (id, name) VALUES (1, 'x')");
        a.close().block();
        assertThat(a.validate(ValidationDepth.LOCAL).block()).isFalse();
        update("INSERT INTO t (id, name) VALUES (2, 'y')");
        assertThat(rows(connect(), "SELECT name FROM t")).containsExactly("y");
        assertThatThrownBy(() -> rows(a, "SELECT 1")).isInstanceOf(R2dbcException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void savepointsRollBackAndRelease() {
        SqliteConnection a = connect();
        a.beginTransaction().block();
        rows(a, "INSERT INTO t (id, name) VALUES (1, 'a')");
        a.createSavepoint("s 1").block();
        rows(a, "INSERT INTO t (id, name) VALUES (2, 'b')");
        a.rollbackTransactionToSavepoint("s 1").block();
        rows(a, "INSERT INTO t (id, name) VALUES (3, 'c')");
        a.releaseSavepoint("s 1").block();
        a.commitTransaction().block();
        assertThat(rows(a, "SELECT name FROM t ORDER BY id")).containsExactly("a", "c");
        assertThatThrownBy(() -> a.releaseSavepoint("none").block()).isInstanceOf(R2dbcException.class)
                .hasMessageContaining("no transaction");
        a.close().block();
    }

    @Test
    void readOnlyTransactionUsesASnapshotAndRefusesWrites() {
        update("INSERT INTO t (id, name) VALUES (1, 'a')");
        SqliteConnection a = connect();
        a.beginTransaction(definition(Map.of(TransactionDefinition.READ_ONLY, true))).block();
        assertThat(rows(a, "SELECT name FROM t")).containsExactly("a");
        // A write by someone else after the snapshot began is not seen, and this one does not wait for the writer.
        update("INSERT INTO t (id, name) VALUES (2, 'b')");
        assertThat(rows(a, "SELECT name FROM t")).containsExactly("a");
        assertThatThrownBy(() -> rows(a, "INSERT INTO t (id, name) VALUES (3, 'c')"))
                .isInstanceOf(R2dbcPermissionDeniedException.class);
        a.commitTransaction().block();
        assertThat(rows(a, "SELECT name FROM t ORDER BY id")).containsExactly("a", "b");
        a.close().block();
    }

    @Test
    void aReadOnlyTransactionGivesItsReaderBackWhenItEndsOrItsConnectionCloses() {
        update("INSERT INTO t (id, name) VALUES (1, 'a')");
        io.sqliteasync.Database db = factory.database().join();
        TransactionDefinition readOnly = definition(Map.of(TransactionDefinition.READ_ONLY, true));
        SqliteConnection a = connect();
        a.beginTransaction(readOnly).block();
        assertThat(db.stats().readersBusy()).isEqualTo(1);
        assertThat(a.isAutoCommit()).isFalse();
        assertThat(rows(a, "SELECT name FROM t")).containsExactly("a");
        a.rollbackTransaction().block();
        assertThat(db.stats().readersBusy()).isZero();
        assertThat(a.isAutoCommit()).isTrue();
        a.beginTransaction(readOnly).block();
        assertThatThrownBy(() -> a.createSavepoint("s").block()).isInstanceOf(R2dbcException.class)
                .hasMessageContaining("read-write");
        a.close().block();
        assertThat(db.stats().readersBusy()).isZero();
        SqliteConnection b = connect();
        b.beginTransaction(readOnly).block();
        b.commitTransaction().block();
        assertThat(db.stats().readersBusy()).isZero();
        assertThat(rows(b, "SELECT name FROM t")).containsExactly("a");
        b.close().block();
    }

    @Test
    void lockWaitTimeoutBoundsTheWaitForTheWriter() {
        SqliteConnection a = connect();
        SqliteConnection b = connect();
        a.beginTransaction().block();
        // a keeps the writer until its rollback below: only the lock wait timeout can end b's wait (the block bound
        // only catches a hang, and would fail with another exception).
        assertThatThrownBy(() -> b.beginTransaction(definition(Map.of(TransactionDefinition.LOCK_WAIT_TIMEOUT,
                Duration.ofMillis(150)))).block(Duration.ofSeconds(60))).isInstanceOf(R2dbcTimeoutException.class);
        assertThat(a.isAutoCommit()).isFalse();
        assertThat(b.isAutoCommit()).isTrue();
        a.rollbackTransaction().block();
        // The abandoned request left the queue: b gets the writer now.
        b.setLockWaitTimeout(Duration.ofSeconds(5)).block();
        b.beginTransaction().block();
        rows(b, "INSERT INTO t (id) VALUES (1)");
        b.commitTransaction().block();
        assertThat(value("SELECT count(*) FROM t")).isEqualTo(1L);
        a.close().block();
        b.close().block();
    }

    @Test
    void aTransactionEndedByTheTransactionTimeoutFailsLaterStatementsUntilRolledBack() {
        factory.close();
        factory = SqliteConnectionFactory.of(DatabaseOptions.builder(dir.resolve("it.db").toString())
                .transactionTimeout(Duration.ofMillis(200)).build());
        SqliteConnection a = connect();
        a.beginTransaction().block();
        // On a slow machine the 200 ms may pass before this insert runs: then it fails like the later one.
        Throwable first = org.assertj.core.api.Assertions.catchThrowable(
                () -> rows(a, "INSERT INTO t (id) VALUES (1)"));
        assertThat(first).satisfiesAnyOf(f -> assertThat(f).isNull(), f -> assertThat(f).isInstanceOf(
                R2dbcException.class).hasMessageMatching("(?s).*(no longer open|transaction has ended).*"));
        // Wait until the pool has rolled the transaction back for its timeout (the bound only catches a hang).
        io.sqliteasync.Database db = factory.database().join();
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (db.stats().transactionTimeouts() == 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertThat(db.stats().transactionTimeouts()).isEqualTo(1);
        // Depending on whether the rollback job already ran, the connection or the core transaction reports it.
        assertThatThrownBy(() -> rows(a, "INSERT INTO t (id) VALUES (2)")).isInstanceOf(R2dbcException.class)
                .hasMessageMatching("(?s).*(no longer open|transaction has ended).*");
        // If the failed statement already abandoned the transaction, commit finds none and completes (as COMMIT of
        // an aborted transaction does in PostgreSQL); otherwise it reports the timeout. Either way nothing commits.
        Throwable commit = org.assertj.core.api.Assertions.catchThrowable(() -> a.commitTransaction().block());
        assertThat(commit).satisfiesAnyOf(c -> assertThat(c).isNull(), c -> assertThat(c).isInstanceOf(R2dbcException.class));
        assertThat(a.isAutoCommit()).isTrue();
        assertThat(value("SELECT coalesce(group_concat(id), 'none') FROM t")).isEqualTo("none");
        a.beginTransaction().block();
        rows(a, "INSERT INTO t (id) VALUES (3)");
        a.commitTransaction().block();
        assertThat(value("SELECT count(*) FROM t")).isEqualTo(1L);
        a.close().block();
    }

    @Test
    void closingWhileWaitingForTheWriterWithdrawsTheRequest() {
        SqliteConnection a = connect();
        SqliteConnection b = connect();
        a.beginTransaction().block();
        java.util.concurrent.atomic.AtomicReference<Throwable> error = new java.util.concurrent.atomic.AtomicReference<>();
        b.beginTransaction().subscribe(x -> { }, error::set);
        // Wait until b's request is queued behind a's transaction on the single writer.
        io.sqliteasync.Database db = factory.database().join();
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (db.stats().writerQueueLength() == 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertThat(db.stats().writerQueueLength()).isEqualTo(1);
        b.close().block(Duration.ofSeconds(5));
        assertThat(error.get()).isInstanceOf(R2dbcException.class).hasMessageContaining("closed while waiting");
        rows(a, "INSERT INTO t (id) VALUES (1)");
        a.commitTransaction().block();
        update("INSERT INTO t (id) VALUES (2)");
        assertThat(value("SELECT count(*) FROM t")).isEqualTo(2L);
        a.close().block();
    }

    @Test
    void statementTimeoutStopsSqliteAndTheConnectionStaysUsable() {
        SqliteConnection a = connect();
        a.setStatementTimeout(Duration.ofMillis(200)).block();
        // The query is endless: only the statement timeout can end it (rows() gives up after 30 s, differently).
        assertThatThrownBy(() -> rows(a, ENDLESS)).isInstanceOf(R2dbcTimeoutException.class);
        a.setStatementTimeout(Duration.ZERO).block();
        // With two readers, two more endless queries would hang here had SQLite not been stopped.
        for (int i = 0; i < 3; i++) {
            assertThat(rows(a, "SELECT 42")).containsExactly(42L);
        }
        a.close().block();
    }

    @Test
    void cancellingARunningQueryStopsSqlite() {
        SqliteConnection a = connect();
        for (int i = 0; i < 3; i++) {
            Flux.from(a.createStatement(ENDLESS).execute()).flatMap(r -> r.map((row, md) -> row.get(0)))
                    .take(Duration.ofMillis(100)).blockLast(Duration.ofSeconds(10));
        }
        // Three cancelled endless queries on two readers: a reader still running one would make this hang.
        assertThat(Mono.from(a.createStatement("SELECT 1").execute())
                .flatMapMany(r -> r.map((row, md) -> row.get(0))).blockLast(Duration.ofSeconds(10))).isEqualTo(1L);
        a.close().block();
    }

    @Test
    void errorsMapToR2dbcExceptionClasses() {
        SqliteConnection a = connect();
        rows(a, "INSERT INTO t (id, name) VALUES (1, 'x')");
        assertThatThrownBy(() -> rows(a, "INSERT INTO t (id, name) VALUES (2, 'x')"))
                .isInstanceOf(R2dbcDataIntegrityViolationException.class).hasMessageContaining("UNIQUE");
        assertThatThrownBy(() -> rows(a, "SELEC 1")).isInstanceOf(R2dbcBadGrammarException.class)
                .satisfies(e -> assertThat(((R2dbcBadGrammarException) e).getOffendingSql()).isEqualTo("SELEC 1"));
        assertThatThrownBy(() -> rows(a, "SELECT * FROM missing")).isInstanceOf(R2dbcBadGrammarException.class);
        assertThatThrownBy(() -> rows(a, "BEGIN")).isInstanceOf(R2dbcException.class)
                .hasMessageContaining("beginTransaction");
        assertThatThrownBy(() -> a.createStatement("SELECT ?").bind(0, new Object()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(a.validate(ValidationDepth.REMOTE).block()).isTrue();
        a.close().block();
    }

    @Test
    void busyFromAnotherProcessIsTransient() throws Exception {
        factory.close();
        factory = SqliteConnectionFactory.of(DatabaseOptions.builder(dir.resolve("it.db").toString())
                .busyTimeout(Duration.ofMillis(100)).build());
        try (java.sql.Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("it.db"));
                Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            SqliteConnection a = connect();
            assertThatThrownBy(() -> rows(a, "INSERT INTO t (id) VALUES (1)"))
                    .isInstanceOf(R2dbcTransientResourceException.class);
            s.execute("ROLLBACK");
            rows(a, "INSERT INTO t (id) VALUES (1)");
            a.close().block();
        }
    }

    @Test
    void multiSetStatementsAndBatchesWritingInAutoCommitAreAllOrNothing() {
        SqliteConnection a = connect();
        List<Long> counts = Flux.from(a.createStatement("INSERT INTO t (id, name) VALUES (?, ?)")
                .bind(0, 1).bind(1, "a").add().bind(0, 2).bind(1, "b").execute())
                .flatMap(Result::getRowsUpdated).collectList().block();
        assertThat(counts).containsExactly(1L, 1L);
        assertThatThrownBy(() -> Flux.from(a.createStatement("INSERT INTO t (id, name) VALUES (?, ?)")
                .bind(0, 3).bind(1, "c").add().bind(0, 4).bind(1, "a").execute())
                .flatMap(Result::getRowsUpdated).blockLast()).isInstanceOf(R2dbcDataIntegrityViolationException.class);
        assertThat(value("SELECT count(*) FROM t")).isEqualTo(2L);
        List<Object> batch = Flux.from(a.createBatch().add("UPDATE t SET name = name || '!'")
                .add("SELECT name FROM t ORDER BY id").execute())
                .concatMap(r -> r.flatMap(seg -> seg instanceof Result.UpdateCount
                        ? Mono.just((Object) ((Result.UpdateCount) seg).value())
                        : Mono.just(((Result.RowSegment) seg).row().get(0)))).collectList().block();
        assertThat(batch).containsExactly(2L, "a!", "b!");
        a.close().block();
    }

    @Test
    void generatedValuesComeBackThroughReturning() {
        SqliteConnection a = connect();
        List<Long> ids = Flux.from(a.createStatement("INSERT INTO t (name) VALUES (?)").bind(0, "a").add()
                .bind(0, "b").returnGeneratedValues("id").execute())
                .concatMap(r -> r.map((row, md) -> row.get("id", Long.class))).collectList().block();
        assertThat(ids).containsExactly(1L, 2L);
        a.beginTransaction().block();
        Long updated = Flux.from(a.createStatement("UPDATE t SET score = 1 RETURNING id").execute())
                .flatMap(Result::getRowsUpdated).blockLast();
        assertThat(updated).isEqualTo(2L);
        a.commitTransaction().block();
        a.close().block();
    }

    @Test
    void compoundStatementsAndTriggersRunInOrder() {
        SqliteConnection a = connect();
        Flux.from(a.createStatement("CREATE TABLE log (msg TEXT);"
                + " CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('ins;' || new.id); END;"
                + " INSERT INTO t (id) VALUES (5)").execute()).flatMap(Result::getRowsUpdated).blockLast();
        assertThat(rows(a, "SELECT msg FROM log")).containsExactly("ins;5");
        a.close().block();
    }

    @Test
    void isolationLevelsAreAllServedSerializably() {
        SqliteConnection a = connect();
        a.setTransactionIsolationLevel(IsolationLevel.READ_COMMITTED).block();
        assertThat(a.getTransactionIsolationLevel()).isEqualTo(IsolationLevel.SERIALIZABLE);
        a.beginTransaction(definition(Map.of(TransactionDefinition.ISOLATION_LEVEL,
                IsolationLevel.READ_UNCOMMITTED))).block();
        rows(a, "INSERT INTO t (id) VALUES (1)");
        a.commitTransaction().block();
        assertThat(value("SELECT count(*) FROM t")).isEqualTo(1L);
        a.close().block();
    }

    @Test
    void anUnreadQueryResultHoldsNoReadTransaction() {
        factory.close();
        factory = SqliteConnectionFactory.of(DatabaseOptions.builder(dir.resolve("it.db").toString())
                .busyTimeout(Duration.ofMillis(300)).build());
        SqliteConnection a = connect();
        rows(a, "INSERT INTO t (id) VALUES (1)");
        // Results emitted but never read, as when a caller only wants to know the statement ran.
        assertThat(Flux.from(a.createStatement("SELECT id FROM t").execute()).count().block()).isEqualTo(1L);
        assertThat(Flux.from(a.createStatement("SELECT id FROM t").execute()).flatMap(Result::getRowsUpdated)
                .count().block()).isZero();
        rows(a, "INSERT INTO t (id) VALUES (2)");
        // A reader holding a read transaction would keep TRUNCATE from resetting the WAL.
        assertThat(a.database().checkpoint(io.sqliteasync.CheckpointMode.TRUNCATE).join().busy()).isFalse();
        a.close().block();
    }

    @Test
    void resultIsConsumableOnce() {
        SqliteConnection a = connect();
        Result r = Mono.from(a.createStatement("SELECT 1").execute()).block();
        assertThat(Flux.from(r.map((row, md) -> row.get(0))).blockLast()).isEqualTo(1L);
        assertThatThrownBy(() -> Flux.from(r.map((row, md) -> row.get(0))).blockLast())
                .isInstanceOf(IllegalStateException.class);
        a.close().block();
    }

    // ---------------------------------------------------------------- helpers

    SqliteConnection connect() {
        return factory.create().block();
    }

    void update(String sql) {
        Flux.usingWhen(factory.create(), c -> Flux.from(c.createStatement(sql).execute())
                .flatMap(Result::getRowsUpdated), Connection::close).blockLast();
    }

    Object value(String sql) {
        return SqliteConnectionFactoryProviderTest.value(factory, sql);
    }

    static List<Object> rows(Connection c, String sql) {
        List<Object> out = Collections.synchronizedList(new ArrayList<>());
        AtomicLong updated = new AtomicLong();
        Flux.from(c.createStatement(sql).execute())
                .concatMap(r -> r.flatMap(seg -> {
                    if (seg instanceof Result.RowSegment) {
                        Object v = ((Result.RowSegment) seg).row().get(0);
                        out.add(v == null ? "null" : v);
                    } else if (seg instanceof Result.UpdateCount) {
                        updated.addAndGet(((Result.UpdateCount) seg).value());
                    } else if (seg instanceof Result.Message) {
                        // flatMap hands a database error over as a segment, not as an error signal.
                        return Mono.error(((Result.Message) seg).exception());
                    }
                    return Mono.empty();
                })).blockLast(Duration.ofSeconds(30));
        return out;
    }

    static TransactionDefinition definition(Map<io.r2dbc.spi.Option<?>, Object> attributes) {
        return new TransactionDefinition() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T getAttribute(io.r2dbc.spi.Option<T> option) {
                return (T) attributes.get(option);
            }

            @Override
            public String toString() {
                return attributes.entrySet().stream().map(Object::toString).collect(Collectors.joining(", "));
            }
        };
    }
}
