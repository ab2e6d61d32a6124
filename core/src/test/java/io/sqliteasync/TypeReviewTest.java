package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.codec.CodecRegistry;
import io.sqliteasync.codec.Money;
import io.sqliteasync.codec.TimeStorage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression tests from the review of the type layer, against real SQLite files. */
class TypeReviewTest {
    @TempDir
    Path dir;
    AsyncConnection connection;
    BlockingConnection db;

    @BeforeEach
    void open() {
        connection = AsyncConnection.open(dir.resolve("r.db").toString()).join();
        db = connection.blocking();
    }

    @AfterEach
    void close() {
        connection.close();
    }

    @Test
    void dollarInsideAnIdentifierIsNoParameter() {
        db.execute("CREATE TABLE t(a$b INTEGER, id INTEGER)");
        db.execute("INSERT INTO t(a$b, id) VALUES (1, :id)", Map.of("id", 5));
        assertThat(db.fetchOne("SELECT a$b, id FROM t WHERE id = :id", Map.of("id", 5)).toMap())
                .containsEntry("a$b", 1L).containsEntry("id", 5L);
    }

    @Test
    void namesWithDoubleColonsAndTclSuffixesBindByName() {
        Row row = db.fetchOne("SELECT :a::b, $c(x), $c(y)", Map.of("a::b", 1, "c(x)", 2, "c(y)", 3));
        assertThat(row.get(0)).isEqualTo(1L);
        assertThat(row.get(1)).isEqualTo(2L);
        assertThat(row.get(2)).isEqualTo(3L);
    }

    @Test
    void aRecordWithACodecIsTheValueOfANamedParameter() {
        db.execute("CREATE TABLE w(id INTEGER, m MONEY)");
        Money m = new Money(new BigDecimal("1.50"), "EUR");
        db.execute("INSERT INTO w(id, m) VALUES (1, :m)", m);
        assertThat(db.fetchOne("SELECT m FROM w WHERE id = 1").get(0)).isEqualTo(m);
    }

    @Test
    void wholeJulianDaysInNumericAffinityColumnsReadBackUnderJulianDayStorage() {
        CodecRegistry julian = CodecRegistry.builder().timeStorage(TimeStorage.JULIAN_DAY).build();
        AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("j.db").toString())
                .codecs(julian).build()).join();
        try {
            BlockingConnection j = c.blocking();
            // TIMESTAMP and DURATION have NUMERIC affinity: SQLite stores the REAL 2460311.0 as INTEGER.
            j.execute("CREATE TABLE e(at TIMESTAMP, took DURATION)");
            Instant noon = Instant.parse("2024-01-01T12:00:00Z");
            j.execute("INSERT INTO e VALUES (?, ?)", noon, Duration.ofDays(2));
            Row row = j.fetchOne("SELECT at, took, typeof(at), typeof(took) FROM e");
            assertThat(row.get(2)).isEqualTo("integer");
            assertThat(row.get(0, Instant.class)).isEqualTo(noon);
            assertThat(row.get(0)).isEqualTo(LocalDateTime.parse("2024-01-01T12:00"));
            assertThat(row.get(1)).isEqualTo(Duration.ofDays(2));
            assertThat(j.fetchOne("SELECT julianday(?) = julianday('2024-01-01 12:00:00')", noon).getBoolean(0))
                    .isTrue();
        } finally {
            c.close();
        }
    }
}
