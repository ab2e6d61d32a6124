package io.sqliteasync.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.sqliteasync.DatabaseOptions;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Second review: Result, Row, Statement and Connection semantics. */
class ResultSemanticsIT {
    static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    SqliteConnectionFactory factory;
    SqliteConnection c;

    @BeforeEach
    void open() {
        factory = SqliteConnectionFactory.of(DatabaseOptions.builder(dir.resolve("rs.db").toString()).build());
        c = factory.create().block(T);
        exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, amount DECIMAL(10,2), d DATE, ts TIMESTAMP,"
                + " flag BOOLEAN, u UUID, b BLOB, r REAL, big BIGINT)");
    }

    @AfterEach
    void close() {
        c.close().block(T);
        factory.close();
    }

    void exec(String sql) {
        Flux.from(c.createStatement(sql).execute()).flatMap(Result::getRowsUpdated).blockLast(T);
    }

    <X> List<X> query(String sql, java.util.function.Function<Row, X> f) {
        return Flux.from(c.createStatement(sql).execute()).flatMap(r -> r.map((row, md) -> f.apply(row)))
                .collectList().block(T);
    }

    @Test
    void rowConversions() {
        exec("INSERT INTO t VALUES (1, 'x', 12.5, '2024-01-02', '2024-01-02 03:04:05', 1,"
                + " '123e4567-e89b-12d3-a456-426614174000', x'0102', 1.5, 5000000000)");
        List<List<Object>> got = query("SELECT * FROM t", row -> List.<Object>of(
                row.get("ID", Integer.class), row.get("id", Long.class), row.get("id", Short.class),
                row.get("id", Byte.class), row.get("flag", Boolean.class), row.get("amount", BigDecimal.class),
                row.get("r", Double.class), row.get("r", Float.class), row.get("name", String.class),
                row.get("b", byte[].class).length, row.get("b", ByteBuffer.class).remaining(),
                row.get("d", LocalDate.class), row.get("ts", LocalDateTime.class),
                row.get("u", UUID.class), row.get("big", Long.class), row.get("id", BigDecimal.class),
                row.get("id", String.class), row.get("id", Double.class)));
        assertThat(got.get(0)).containsExactly(1, 1L, (short) 1, (byte) 1, true, new BigDecimal("12.5"), 1.5, 1.5f,
                "x", 2, 2, LocalDate.of(2024, 1, 2), LocalDateTime.of(2024, 1, 2, 3, 4, 5),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), 5000000000L, BigDecimal.ONE, "1", 1.0);
    }

    @Test
    void instantAndOffset() {
        exec("INSERT INTO t (id, ts) VALUES (1, '2024-01-02T03:04:05Z')");
        List<Object> got = query("SELECT ts FROM t", row -> List.<Object>of(row.get(0, Instant.class),
                row.get(0, OffsetDateTime.class))).get(0);
        assertThat(got.get(0)).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    }

    @Test
    void objectDefaults() {
        exec("INSERT INTO t (id, name, r, big, b) VALUES (1, 'x', 2, 3, x'01')");
        List<Object> got = query("SELECT id, name, r, big, b, count(*) AS n, 1.5 AS f FROM t GROUP BY id",
                row -> List.<Object>of(row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), row.get(5), row.get(6)))
                .get(0);
        assertThat(got).containsExactly(1, "x", 2.0, 3L, ByteBuffer.wrap(new byte[] {1}), 1L, 1.5);
        List<List<Object>> md = Flux.from(c.createStatement("SELECT id, name, count(*) AS n FROM t").execute())
                .flatMap(r -> r.map((row, m) -> m.getColumnMetadatas().stream()
                        .map(cm -> (Object) (cm.getName() + ":" + cm.getJavaType().getSimpleName() + ":"
                                + cm.getType().getName() + ":" + cm.getNullability()))
                        .toList())).collectList().block(T);
        assertThat(md.get(0)).containsExactly("id:Integer:INTEGER:UNKNOWN", "name:String:TEXT:UNKNOWN",
                "n:Object::UNKNOWN");
    }

    @Test
    void lobs() {
        exec("INSERT INTO t (id, name, b) VALUES (1, 'hello', x'0102')");
        Blob blob = query("SELECT b FROM t", row -> row.get(0, Blob.class)).get(0);
        StepVerifier.create(Flux.from(blob.stream()).map(ByteBuffer::remaining)).expectNext(2).verifyComplete();
        Clob clob = query("SELECT name FROM t", row -> row.get(0, Clob.class)).get(0);
        StepVerifier.create(Flux.from(clob.stream()).map(CharSequence::toString)).expectNext("hello")
                .verifyComplete();
    }

    @Test
    void duplicateColumnNames() {
        exec("INSERT INTO t (id, name) VALUES (1, 'x')");
        List<Object> got = query("SELECT id, name AS ID, id AS Id FROM t", row -> List.<Object>of(row.get("id"),
                row.get("ID"), row.getMetadata().getColumnMetadatas().size(),
                row.getMetadata().contains("iD"))).get(0);
        assertThat(got).containsExactly(1, 1, 3, true);
    }

    @Test
    void getRowsUpdatedThenMapFails() {
        Result r = Flux.from(c.createStatement("INSERT INTO t (id) VALUES (1)").execute()).blockFirst(T);
        StepVerifier.create(r.getRowsUpdated()).expectNext(1L).verifyComplete();
        StepVerifier.create(r.map((row, md) -> 1)).verifyError(IllegalStateException.class);
        Result q = Flux.from(c.createStatement("SELECT * FROM t").execute()).blockFirst(T);
        StepVerifier.create(q.getRowsUpdated()).verifyComplete();
        StepVerifier.create(q.map((row, md) -> 1)).verifyError(IllegalStateException.class);
    }

    @Test
    void filterAndFlatMap() {
        exec("INSERT INTO t (id) VALUES (1), (2), (3)");
        Result r = Flux.from(c.createStatement("SELECT id FROM t ORDER BY id").execute()).blockFirst(T);
        StepVerifier.create(r.filter(s -> s instanceof Result.RowSegment
                && ((Result.RowSegment) s).row().get(0, Integer.class) != 2)
                .map((row, md) -> row.get(0, Integer.class))).expectNext(1, 3).verifyComplete();
        Result u = Flux.from(c.createStatement("UPDATE t SET name = 'a'").execute()).blockFirst(T);
        StepVerifier.create(u.flatMap(s -> s instanceof Result.UpdateCount
                ? Mono.just(((Result.UpdateCount) s).value()) : Mono.empty())).expectNext(3L).verifyComplete();
        Result e = Flux.from(c.createStatement("SELECT id FROM t").execute()).blockFirst(T);
        StepVerifier.create(e.flatMap(s -> Mono.error(new IllegalStateException("boom"))))
                .verifyErrorMessage("boom");
    }

    @Test
    void errorMidScriptInAutoCommitLeavesNothing() {
        StepVerifier.create(Flux.from(c.createStatement("INSERT INTO t (id) VALUES (1); INSERT INTO t (id)"
                + " VALUES (1)").execute()).flatMap(Result::getRowsUpdated)).expectError().verify(T);
        assertThat(query("SELECT count(*) FROM t", row -> row.get(0, Long.class))).containsExactly(0L);
        StepVerifier.create(Flux.from(c.createBatch().add("INSERT INTO t (id) VALUES (1)")
                .add("INSERT INTO nope VALUES (1)").execute()).flatMap(Result::getRowsUpdated))
                .expectError().verify(T);
        assertThat(query("SELECT count(*) FROM t", row -> row.get(0, Long.class))).containsExactly(0L);
    }

    @Test
    void bindingByName() {
        exec("INSERT INTO t (id, name) VALUES (1, 'x'), (2, 'y')");
        assertThat(Flux.from(c.createStatement("SELECT id FROM t WHERE id = :a OR id = :a + 1 ORDER BY id")
                .bind("a", 1).execute()).flatMap(r -> r.map((row, md) -> row.get(0, Integer.class)))
                .collectList().block(T)).containsExactly(1, 2);
        assertThat(Flux.from(c.createStatement("SELECT id FROM t WHERE id = $1 OR name = $2")
                .bind("$1", 1).bind("$2", "y").execute()).flatMap(r -> r.map((row, md) -> row.get(0, Integer.class)))
                .collectList().block(T)).containsExactly(1, 2);
        assertThat(Flux.from(c.createStatement("SELECT id FROM t WHERE id = $1 OR name = $2")
                .bind(0, 1).bind(1, "y").execute()).flatMap(r -> r.map((row, md) -> row.get(0, Integer.class)))
                .collectList().block(T)).containsExactly(1, 2);
        assertThat(Flux.from(c.createStatement("INSERT INTO t (id, name, amount, d) VALUES (?, ?, ?, ?)")
                .bind(0, 3).bindNull(1, String.class).bind(2, Parameters.in(R2dbcType.DECIMAL))
                .bind(3, Parameters.in(LocalDate.of(2020, 1, 1))).execute()).flatMap(Result::getRowsUpdated)
                .blockLast(T)).isEqualTo(1L);
        assertThat(query("SELECT d FROM t WHERE id = 3", row -> row.get(0))).containsExactly(LocalDate.of(2020, 1, 1));
        assertThatThrownBy(() -> c.createStatement("SELECT ?").bind(0, Parameters.out(R2dbcType.INTEGER)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void savepointsOutsideATransaction() {
        StepVerifier.create(c.createSavepoint("s1")).verifyComplete();
        assertThat(c.isAutoCommit()).isFalse();
        exec("INSERT INTO t (id) VALUES (1)");
        StepVerifier.create(c.rollbackTransactionToSavepoint("s1")).verifyComplete();
        StepVerifier.create(c.releaseSavepoint("s1")).verifyComplete();
        StepVerifier.create(c.commitTransaction()).verifyComplete();
        assertThat(c.isAutoCommit()).isTrue();
        assertThat(query("SELECT count(*) FROM t", row -> row.get(0, Long.class))).containsExactly(0L);
        StepVerifier.create(c.releaseSavepoint("s1")).expectError().verify(T);
        StepVerifier.create(c.rollbackTransactionToSavepoint("s1")).expectError().verify(T);
    }

    @Test
    void transactionDefinitions() {
        StepVerifier.create(c.beginTransaction(IsolationLevel.READ_UNCOMMITTED)).verifyComplete();
        assertThat(c.getTransactionIsolationLevel()).isEqualTo(IsolationLevel.SERIALIZABLE);
        StepVerifier.create(c.rollbackTransaction()).verifyComplete();
        TransactionDefinition ro = new TransactionDefinition() {
            @SuppressWarnings("unchecked")
            @Override
            public <V> V getAttribute(io.r2dbc.spi.Option<V> option) {
                return option.equals(TransactionDefinition.READ_ONLY) ? (V) Boolean.TRUE : null;
            }
        };
        StepVerifier.create(c.beginTransaction(ro)).verifyComplete();
        StepVerifier.create(Flux.from(c.createStatement("INSERT INTO t (id) VALUES (1)").execute())
                .flatMap(Result::getRowsUpdated)).verifyError(io.r2dbc.spi.R2dbcPermissionDeniedException.class);
        StepVerifier.create(Flux.from(c.createStatement("INSERT INTO t (id) VALUES (1) RETURNING id").execute())
                .flatMap(r -> r.map((row, md) -> row.get(0)))).verifyError(
                        io.r2dbc.spi.R2dbcPermissionDeniedException.class);
        StepVerifier.create(c.rollbackTransaction()).verifyComplete();
        assertThat(query("SELECT count(*) FROM t", row -> row.get(0, Long.class))).containsExactly(0L);
    }

    @Test
    void afterClose() {
        assertThat(factory.getMetadata().getName()).isEqualTo("SQLite");
        StepVerifier.create(c.close()).verifyComplete();
        StepVerifier.create(c.close()).verifyComplete();
        StepVerifier.create(c.validate(ValidationDepth.LOCAL)).expectNext(false).verifyComplete();
        StepVerifier.create(c.validate(ValidationDepth.REMOTE)).expectNext(false).verifyComplete();
        StepVerifier.create(Flux.from(c.createStatement("SELECT 1").execute())).expectError().verify(T);
        StepVerifier.create(Flux.from(c.createBatch().add("SELECT 1").execute())).expectError().verify(T);
        StepVerifier.create(c.beginTransaction()).expectError().verify(T);
        StepVerifier.create(c.createSavepoint("x")).expectError().verify(T);
    }

    @Test
    void resultsConsumedAfterCloseFailInsteadOfReading() {
        exec("INSERT INTO t (id) VALUES (1)");
        Result q = Flux.from(c.createStatement("SELECT id FROM t").execute()).blockFirst(T);
        StepVerifier.create(c.beginTransaction()).verifyComplete();
        Result inTx = Flux.from(c.createStatement("SELECT id FROM t").execute()).blockFirst(T);
        StepVerifier.create(c.close()).verifyComplete();
        StepVerifier.create(q.map((row, md) -> row.get(0))).expectError().verify(T);
        StepVerifier.create(inTx.map((row, md) -> row.get(0))).expectError().verify(T);
    }

    @Test
    void nullArgumentsAreIllegalArguments() {
        exec("INSERT INTO t (id) VALUES (1)");
        Result r = Flux.from(c.createStatement("SELECT id FROM t").execute()).blockFirst(T);
        assertThatThrownBy(() -> r.map((java.util.function.BiFunction<Row, RowMetadata, Object>) null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.filter(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.flatMap(null)).isInstanceOf(IllegalArgumentException.class);
        List<Throwable> errors = Flux.from(r.map((row, md) -> {
            List<Throwable> l = new java.util.ArrayList<>();
            for (Runnable call : List.<Runnable>of(() -> row.get(0, null), () -> row.get((String) null),
                    () -> row.get("id", null), () -> md.getColumnMetadata(null), () -> md.contains(null))) {
                try {
                    call.run();
                    l.add(null);
                } catch (RuntimeException e) {
                    l.add(e);
                }
            }
            return l;
        })).blockFirst(T);
        assertThat(errors).allSatisfy(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class));
    }

    @Test
    void anErrorWhileSteppingRowsIsAMessageSegment() {
        // abs() of the smallest integer overflows at run time, on the second row: after the first row was sent.
        exec("INSERT INTO t (id, big) VALUES (1, 1), (2, -9223372036854775808)");
        Result r = Flux.from(c.createStatement("SELECT abs(big) FROM t ORDER BY id").fetchSize(1).execute()).blockFirst(T);
        StepVerifier.create(r.flatMap(s -> Mono.just(s instanceof Result.Message
                ? "message " + (((Result.Message) s).exception() instanceof io.r2dbc.spi.R2dbcException)
                : "row " + ((Result.RowSegment) s).row().get(0))))
                .expectNext("row 1").expectNext("message true").verifyComplete();
        Result f = Flux.from(c.createStatement("SELECT abs(big) FROM t ORDER BY id").fetchSize(1).execute()).blockFirst(T);
        StepVerifier.create(f.filter(s -> !(s instanceof Result.Message)).map((row, md) -> row.get(0)))
                .expectNext(1L).verifyComplete();
        Result m = Flux.from(c.createStatement("SELECT abs(big) FROM t ORDER BY id").fetchSize(1).execute()).blockFirst(T);
        StepVerifier.create(m.map((row, md) -> row.get(0))).expectNext(1L)
                .verifyError(io.r2dbc.spi.R2dbcException.class);
    }
}
