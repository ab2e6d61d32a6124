package io.sqliteasync.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Result;
import io.sqliteasync.DatabaseOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/** {@code java.time} values read back from the columns they are typically declared in, in any JVM zone. */
class TimeValuesIT {
    static final Duration T = Duration.ofSeconds(10);
    static final Instant AT = Instant.parse("2024-03-31T01:30:00.123456789Z");
    static final OffsetDateTime ODT = OffsetDateTime.of(2024, 3, 31, 7, 0, 0, 5_000, ZoneOffset.ofHoursMinutes(5, 30));

    @TempDir
    Path dir;
    SqliteConnectionFactory factory;
    SqliteConnection c;

    @BeforeEach
    void open() {
        factory = SqliteConnectionFactory.of(DatabaseOptions.builder(dir.resolve("time.db").toString()).build());
        c = factory.create().block(T);
        Flux.from(c.createStatement("CREATE TABLE t (id INTEGER PRIMARY KEY, ts TIMESTAMP, tx TEXT, tz TIMESTAMPTZ)")
                        .execute())
                .flatMap(Result::getRowsUpdated).blockLast(T);
    }

    @AfterEach
    void close() {
        c.close().block(T);
        factory.close();
    }

    private <T> T insertAndRead(String column, Object value, String readColumn, Class<T> type) {
        Flux.from(c.createStatement("INSERT INTO t (" + column + ") VALUES (?)").bind(0, value).execute())
                .flatMap(Result::getRowsUpdated).blockLast(T);
        return Flux.from(c.createStatement("SELECT " + readColumn + " FROM t").execute())
                .flatMap(r -> r.map((row, md) -> row.get(0, type))).blockLast(T);
    }

    @Test
    void anInstantInATextColumnReadsBackAsTheSameInstant() {
        assertThat(insertAndRead("tx", AT, "tx", Instant.class)).isEqualTo(AT);
    }

    @Test
    void anInstantInATimestampColumnReadsBackAsTheSameInstantAndByDefaultAsItsUtcDateTime() {
        assertThat(insertAndRead("ts", AT, "ts", Instant.class)).isEqualTo(AT);
        assertThat(insertAndRead("ts", AT, "ts", Object.class))
                .isEqualTo(LocalDateTime.ofInstant(AT, ZoneOffset.UTC));
    }

    @Test
    void aTimestamptzColumnReadsAsOffsetDateTimeKeepingTheOffset() {
        assertThat(insertAndRead("tz", ODT, "tz", Object.class)).isEqualTo(ODT);
    }

    @Test
    void utcTextWithoutOffsetInATimestampColumnStaysALocalDateTime() {
        assertThat(insertAndRead("ts", LocalDateTime.of(2024, 1, 2, 3, 4, 5), "ts", Object.class))
                .isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5));
        assertThat(SqliteRow.hasOffset("2024-01-02 03:04:05")).isFalse();
        assertThat(SqliteRow.hasOffset("2024-01-02")).isFalse();
        assertThat(SqliteRow.hasOffset("1700000000")).isFalse();
        assertThat(SqliteRow.hasOffset("2024-01-02T03:04:05Z")).isTrue();
        assertThat(SqliteRow.hasOffset("2024-01-02 03:04:05-08:00")).isTrue();
    }

    @Test
    void offsetTextInATimestampColumnReadsByDefaultAsOffsetDateTimeNotAsADateTimeThatDropsTheOffset() {
        assertThat(insertAndRead("ts", ODT, "ts", Object.class)).isEqualTo(ODT);
    }
}
