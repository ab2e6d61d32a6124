package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqliteasync.codec.CodecRegistry;
import io.sqliteasync.codec.TimeStorage;
import io.sqliteasync.codec.UuidStorage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.Map;

/** Built-in codecs through a real SQLite file: bound, stored, read back, and read by SQLite's own functions. */
class CodecDatabaseTest {
    enum Status { ACTIVE, CLOSED }

    @TempDir
    Path dir;
    AsyncConnection connection;
    BlockingConnection db;

    @BeforeEach
    void open() {
        connection = AsyncConnection.open(dir.resolve("types.db").toString()).join();
        db = connection.blocking();
    }

    @AfterEach
    void close() {
        connection.close();
    }

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of(Long.MIN_VALUE, "integer"),
                Arguments.of(Long.MAX_VALUE, "integer"),
                Arguments.of(Integer.MIN_VALUE, "integer"),
                Arguments.of((short) -1, "integer"),
                Arguments.of((byte) 127, "integer"),
                Arguments.of(true, "integer"),
                Arguments.of(false, "integer"),
                Arguments.of(Double.MAX_VALUE, "real"),
                Arguments.of(Double.MIN_VALUE, "real"),
                Arguments.of(Double.POSITIVE_INFINITY, "real"),
                Arguments.of(Double.NEGATIVE_INFINITY, "real"),
                Arguments.of(-1.5f, "real"),
                Arguments.of(new BigDecimal("-98765432109876543210.012345678901234567890123456789"), "text"),
                Arguments.of(new BigDecimal("1.000"), "text"),
                Arguments.of(new BigDecimal("1E+1000"), "text"),
                Arguments.of(BigInteger.TWO.pow(100).negate(), "text"),
                Arguments.of(BigInteger.valueOf(Long.MAX_VALUE), "integer"),
                Arguments.of("", "text"),
                Arguments.of("\ud83d\ude00\ud834\udd1e non-BMP \u0939\u093f", "text"),
                Arguments.of('\u00e9', "text"),
                Arguments.of(UUID.randomUUID(), "text"),
                Arguments.of(Status.CLOSED, "text"),
                Arguments.of(Instant.parse("2024-06-30T23:59:59.123456789Z"), "text"),
                Arguments.of(Instant.parse("1900-01-01T00:00:00.000000001Z"), "text"),
                Arguments.of(LocalDate.of(1, 1, 1), "text"),
                Arguments.of(LocalTime.of(23, 59, 59, 999_999_999), "text"),
                Arguments.of(LocalDateTime.of(2024, 2, 29, 12, 0, 0, 1000), "text"),
                Arguments.of(OffsetDateTime.of(2024, 2, 29, 12, 0, 0, 5, ZoneOffset.ofHours(14)), "text"),
                Arguments.of(OffsetDateTime.of(2024, 2, 29, 12, 0, 0, 5, ZoneOffset.ofHours(-12)), "text"),
                Arguments.of(Duration.ofDays(-3).plusMillis(7), "text"));
    }

    @ParameterizedTest
    @MethodSource("values")
    void roundTripsThroughAColumnWithoutAffinity(Object value, String storage) {
        db.execute("CREATE TABLE t(v)");
        db.execute("INSERT INTO t VALUES (?)", value);
        Row row = db.fetchOne("SELECT v, typeof(v) FROM t");
        assertThat(row.get(1)).isEqualTo(storage);
        assertThat(row.get(0, value.getClass())).isEqualTo(value);
        assertThat(db.fetchOne("SELECT count(*) FROM t WHERE v = ?", value).getLong(0)).isEqualTo(1);
    }

    @Test
    void declaredTypesSelectWhatRowGetReturns() {
        db.execute("CREATE TABLE d(b BOOLEAN, d DATE, t TIME, ts TIMESTAMP, dt DATETIME, u UUID, m DECIMAL TEXT,"
                + " du DURATION, tz TIMESTAMPTZ, i INSTANT, n INTEGER, s TEXT, x)");
        UUID u = UUID.randomUUID();
        Instant now = Instant.now();
        OffsetDateTime odt = OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 0, ZoneOffset.ofHoursMinutes(-3, -30));
        db.execute("INSERT INTO d VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", true, LocalDate.of(2024, 5, 6),
                LocalTime.of(7, 8, 9), LocalDateTime.of(2024, 5, 6, 7, 8, 9), "2024-05-06 07:08:09.5", u,
                new BigDecimal("12345678901234567890.10"), Duration.ofMinutes(90), odt, now, 7, "2024-05-06",
                "2024-05-06");
        Row r = db.fetchOne("SELECT * FROM d");
        assertThat(r.get("b")).isEqualTo(true);
        assertThat(r.get("d")).isEqualTo(LocalDate.of(2024, 5, 6));
        assertThat(r.get("t")).isEqualTo(LocalTime.of(7, 8, 9));
        assertThat(r.get("ts")).isEqualTo(LocalDateTime.of(2024, 5, 6, 7, 8, 9));
        assertThat(r.get("dt")).isEqualTo(LocalDateTime.of(2024, 5, 6, 7, 8, 9, 500_000_000));
        assertThat(r.get("u")).isEqualTo(u);
        assertThat(r.get("m")).isEqualTo(new BigDecimal("12345678901234567890.10"));
        assertThat(r.get("du")).isEqualTo(Duration.ofMinutes(90));
        assertThat(r.get("tz")).isEqualTo(odt);
        assertThat(r.get("i")).isEqualTo(now);
        // Columns without a recognised declared type keep their storage class.
        assertThat(r.get("n")).isEqualTo(7L);
        assertThat(r.get("s")).isEqualTo("2024-05-06");
        assertThat(r.get("x")).isEqualTo("2024-05-06");
        assertThat(r.metadata().javaType(1)).isEqualTo(LocalDate.class);
        assertThat(r.metadata().javaType(10)).isNull();
        // get(name, Class) converts the stored value whatever the declared type says.
        assertThat(r.get("d", String.class)).isEqualTo("2024-05-06");
        assertThat(r.get("b", Long.class)).isEqualTo(1L);
        assertThat(r.get("s", LocalDate.class)).isEqualTo(LocalDate.of(2024, 5, 6));
        assertThat(r.get("ts", Instant.class)).isEqualTo(Instant.parse("2024-05-06T07:08:09Z"));
        assertThat(r.get("d", Optional.class)).contains(LocalDate.of(2024, 5, 6));
        assertThat(r.get("ts", Object.class)).isEqualTo(LocalDateTime.of(2024, 5, 6, 7, 8, 9));
        assertThat(r.toMap()).containsEntry("d", LocalDate.of(2024, 5, 6)).containsEntry("n", 7L);
    }

    @Test
    void plainDecimalHasNumericAffinityAndLosesDigits() {
        db.execute("CREATE TABLE m(plain DECIMAL(30,10), exact DECIMAL TEXT)");
        BigDecimal v = new BigDecimal("1234567890.1234567890");
        db.execute("INSERT INTO m VALUES (?, ?)", v, v);
        Row r = db.fetchOne("SELECT plain, exact, typeof(plain), typeof(exact) FROM m");
        assertThat(r.get(2)).isEqualTo("real");
        assertThat((BigDecimal) r.get(0)).isNotEqualTo(v).isCloseTo(v, org.assertj.core.data.Offset.offset(
                new BigDecimal("0.00001")));
        assertThat(r.get(3)).isEqualTo("text");
        assertThat(r.get(1)).isEqualTo(v);
    }

    @Test
    void columnNameHintsSelectTheType() {
        db.execute("CREATE TABLE e(at TEXT, flag INTEGER)");
        db.execute("INSERT INTO e VALUES ('2024-01-02 03:04:05', 1)");
        Row r = db.fetchOne("SELECT max(at) AS \"last [timestamp]\", flag AS \"on [boolean]\", at AS \"raw [nothing]\""
                + " FROM e");
        assertThat(r.metadata().columnNames()).containsExactly("last", "on", "raw");
        assertThat(r.get("last")).isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5));
        assertThat(r.get("on")).isEqualTo(true);
        assertThat(r.get("raw")).isEqualTo("2024-01-02 03:04:05");
    }

    @Test
    void readsTheValuesSqliteProducesItself() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Row r = db.fetchOne("SELECT datetime('now'), CURRENT_TIMESTAMP, julianday('now'), date('now'), time('now'),"
                + " unixepoch('now'), strftime('%Y-%m-%d %H:%M:%f', 'now'), julianday('2024-03-01 12:34:56.789'),"
                + " CURRENT_DATE, CURRENT_TIME");
        Instant after = Instant.now().plusSeconds(1);
        for (int i : new int[] {0, 1, 2, 5, 6}) {
            assertThat(r.get(i, Instant.class)).isBetween(before.minusMillis(1), after);
        }
        assertThat(r.get(1, LocalDateTime.class)).isEqualTo(LocalDateTime.ofInstant(r.get(1, Instant.class),
                ZoneOffset.UTC));
        assertThat(r.get(3, LocalDate.class)).isIn(LocalDate.ofInstant(before, ZoneOffset.UTC),
                LocalDate.ofInstant(after, ZoneOffset.UTC));
        assertThat(r.get(4, LocalTime.class)).isNotNull();
        assertThat(r.get(7, Instant.class)).isEqualTo(Instant.parse("2024-03-01T12:34:56.789Z"));
        assertThat(r.get(8, LocalDate.class)).isEqualTo(r.get(3, LocalDate.class));
        assertThat(r.get(9, LocalTime.class)).isNotNull();
    }

    @Test
    void sqliteDateFunctionsReadWhatWeWrite() {
        Instant i = Instant.parse("2024-03-01T12:34:56.789123456Z");
        OffsetDateTime paris = OffsetDateTime.of(2024, 3, 1, 13, 34, 56, 789_000_000, ZoneOffset.ofHours(1));
        ZonedDateTime kathmandu = ZonedDateTime.of(2024, 3, 1, 18, 19, 56, 789_000_000, ZoneId.of("Asia/Kathmandu"));
        Row r = db.fetchOne("SELECT datetime(?1, 'subsec'), datetime(?2, 'subsec'), datetime(?3, 'subsec'),"
                + " julianday(?1), date(?4), time(?5), unixepoch(?1)", i, paris, kathmandu, LocalDate.of(2024, 3, 1),
                LocalTime.of(1, 2, 3));
        assertThat(r.get(0)).isEqualTo("2024-03-01 12:34:56.789");
        assertThat(r.get(1)).isEqualTo("2024-03-01 12:34:56.789");
        assertThat(r.get(2)).isEqualTo("2024-03-01 12:34:56.789");
        assertThat(r.get(3, Instant.class)).isEqualTo(Instant.parse("2024-03-01T12:34:56.789Z"));
        assertThat(r.get(4)).isEqualTo("2024-03-01");
        assertThat(r.get(5)).isEqualTo("01:02:03");
        assertThat(r.get(6)).isEqualTo(i.getEpochSecond());
        // Instants written as text compare correctly with SQLite's own timestamps.
        assertThat(db.fetchOne("SELECT ? < datetime('now')", Instant.now().minusSeconds(5)).getBoolean(0)).isTrue();
    }

    @Test
    void zonedDateTimesInSeveralZones() {
        db.execute("CREATE TABLE z(v TIMESTAMPTZ)");
        for (String zone : new String[] {"Europe/Paris", "America/Los_Angeles", "Asia/Kolkata", "Australia/Lord_Howe",
                "Pacific/Kiritimati", "UTC"}) {
            ZonedDateTime z = ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 1, ZoneId.of(zone));
            db.execute("DELETE FROM z");
            db.execute("INSERT INTO z VALUES (?)", z);
            Row r = db.fetchOne("SELECT v FROM z");
            assertThat(r.get(0, ZonedDateTime.class).toInstant()).isEqualTo(z.toInstant());
            assertThat(r.get(0, ZonedDateTime.class).getOffset()).isEqualTo(z.getOffset());
            assertThat(r.get(0)).isEqualTo(z.toOffsetDateTime());
        }
    }

    @Test
    void nanAndNegativeZero() {
        db.execute("CREATE TABLE f(v REAL, w)");
        assertThatThrownBy(() -> db.execute("INSERT INTO f VALUES (?, 1)", Double.NaN))
                .isInstanceOf(SqliteException.class).hasMessageContaining("parameter 1")
                .hasMessageContaining("NaN").hasMessageContaining("NULL");
        assertThatThrownBy(() -> db.execute("INSERT INTO f VALUES (1, :w)", java.util.Map.of("w", Float.NaN)))
                .isInstanceOf(SqliteException.class).hasMessageContaining("parameter 1 (:w)")
                .hasMessageContaining("java.lang.Float");
        assertThat(db.fetchOne("SELECT count(*) FROM f").getLong(0)).isZero();
        // What SQLite itself does with NaN, which is why it is refused: it becomes NULL.
        assertThat(db.fetchOne("SELECT 0.0/0.0, 1e999 - 1e999").isNull(0)).isTrue();
        db.execute("INSERT INTO f VALUES (?, ?)", -0.0, -0.0);
        Row r = db.fetchOne("SELECT v, w FROM f");
        // A REAL-affinity column stores a whole-number REAL as an integer on disk, so -0.0 comes back as 0.0
        // (https://www.sqlite.org/fileformat2.html#record_format); a column without affinity keeps the sign.
        assertThat(Double.doubleToRawLongBits(r.getDouble(0))).isEqualTo(Double.doubleToRawLongBits(0.0));
        assertThat(Double.doubleToRawLongBits(r.getDouble(1))).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void emptyStringIsNotNullAndBlobsOfAnySize() {
        db.execute("CREATE TABLE b(s TEXT, b BLOB)");
        byte[] big = new byte[16 * 1024 * 1024];
        new Random(42).nextBytes(big);
        db.execute("INSERT INTO b VALUES (?, ?)", "", new byte[0]);
        db.execute("INSERT INTO b VALUES (?, ?)", null, big);
        db.execute("INSERT INTO b VALUES (?, ?)", Optional.empty(), ByteBuffer.wrap(big, 1, 3));
        var rows = db.fetchAll("SELECT s, b, s IS NULL, typeof(b), length(b) FROM b ORDER BY rowid");
        assertThat(rows.get(0).get(0)).isEqualTo("");
        assertThat(rows.get(0).getLong(2)).isZero();
        assertThat(rows.get(0).getBytes(1)).isEmpty();
        assertThat(rows.get(0).get(3)).isEqualTo("blob");
        assertThat(rows.get(1).get(0)).isNull();
        assertThat(rows.get(1).getLong(2)).isEqualTo(1);
        assertThat(Arrays.equals(rows.get(1).getBytes(1), big)).isTrue();
        assertThat(rows.get(1).get(1, ByteBuffer.class)).isEqualTo(ByteBuffer.wrap(big));
        assertThat(rows.get(2).isNull(0)).isTrue();
        assertThat(rows.get(2).getBytes(1)).containsExactly(big[1], big[2], big[3]);
        assertThat(rows.get(2).get(0, Optional.class)).isEmpty();
    }

    @Test
    void connectionOptionsChooseTheStorage() {
        CodecRegistry codecs = CodecRegistry.builder().timeStorage(TimeStorage.UNIX_MILLIS)
                .uuidStorage(UuidStorage.BLOB).build();
        try (AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("n.db").toString())
                .codecs(codecs).build()).join()) {
            BlockingConnection b = c.blocking();
            b.execute("CREATE TABLE t(at TIMESTAMP, id UUID)");
            Instant at = Instant.parse("2024-03-01T12:34:56.789Z");
            UUID id = UUID.randomUUID();
            b.execute("INSERT INTO t VALUES (?, ?)", at, id);
            Row r = b.fetchOne("SELECT at, id, typeof(at), typeof(id), at = unixepoch('2024-03-01 12:34:56.789',"
                    + " 'subsec') * 1000 FROM t");
            assertThat(r.get(2)).isEqualTo("integer");
            assertThat(r.get(3)).isEqualTo("blob");
            assertThat(r.get("at")).isEqualTo(LocalDateTime.of(2024, 3, 1, 12, 34, 56, 789_000_000));
            assertThat(r.get("at", Instant.class)).isEqualTo(at);
            assertThat(r.get("id")).isEqualTo(id);
            assertThat(r.getBoolean(4)).isTrue();
        }
    }

    @Test
    void badInputFailsNamingTheColumnOrParameterAndTheType() {
        db.execute("CREATE TABLE t(id INTEGER, d DATE, s TEXT)");
        assertThatThrownBy(() -> db.execute("INSERT INTO t VALUES (1, ?, ?)", LocalDate.now(), new Object()))
                .isInstanceOf(SqliteException.class)
                .hasMessageContaining("parameter 2").hasMessageContaining("java.lang.Object")
                .hasMessageContaining("unsupported type");
        assertThatThrownBy(() -> db.execute("INSERT INTO t VALUES (1, ?, ?)", LocalDate.now(),
                Thread.currentThread())).isInstanceOf(SqliteException.class).hasMessageContaining("java.lang.Thread");
        db.execute("INSERT INTO t VALUES (1, '2024-02-30', 'abc')");
        Row r = db.fetchOne("SELECT * FROM t");
        assertThatThrownBy(() -> r.get("d")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 1 ('d', declared DATE)").hasMessageContaining("'2024-02-30'")
                .hasMessageContaining("java.time.LocalDate");
        assertThat(r.get("d", String.class)).isEqualTo("2024-02-30");
        assertThatThrownBy(() -> r.get("s", Integer.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 2 ('s'").hasMessageContaining("'abc'")
                .hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> r.get("s", UUID.class)).hasMessageContaining("java.util.UUID");
        assertThatThrownBy(() -> r.get("s", Status.class)).hasMessageContaining("[ACTIVE, CLOSED]");
        assertThatThrownBy(() -> r.get("id", Thread.class)).hasMessageContaining("no codec decodes to java.lang.Thread");
        assertThatThrownBy(() -> r.get("nope")).hasMessageContaining("no column named 'nope'");
    }

    @Test
    void theConnectionStaysUsableAfterABindFailure() {
        assertThatThrownBy(() -> connection.execute("SELECT ?", new Object()).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(SqliteException.class);
        assertThat(db.fetchOne("SELECT ?", Instant.EPOCH).get(0)).isEqualTo("1970-01-01 00:00:00");
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
