package io.sqliteasync.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every built-in codec as a pure function: value, the SQLite value it encodes to, and back. */
class CodecRoundTripTest {
    enum Color { RED, GREEN }

    private static final CodecRegistry CODECS = CodecRegistry.builder().discover(false).build();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(true, 1L),
                Arguments.of(false, 0L),
                Arguments.of((byte) -128, -128L),
                Arguments.of((byte) 127, 127L),
                Arguments.of(Short.MIN_VALUE, (long) Short.MIN_VALUE),
                Arguments.of(Integer.MAX_VALUE, (long) Integer.MAX_VALUE),
                Arguments.of(Long.MIN_VALUE, Long.MIN_VALUE),
                Arguments.of(Long.MAX_VALUE, Long.MAX_VALUE),
                Arguments.of(-0.0, -0.0),
                Arguments.of(Double.MIN_VALUE, Double.MIN_VALUE),
                Arguments.of(Double.MAX_VALUE, Double.MAX_VALUE),
                Arguments.of(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY),
                Arguments.of(1.5f, 1.5),
                Arguments.of(Float.MAX_VALUE, (double) Float.MAX_VALUE),
                Arguments.of(new BigDecimal("1.50"), "1.50"),
                Arguments.of(new BigDecimal("-123456789012345678901234567890.123456789012345678901234567890"),
                        "-123456789012345678901234567890.123456789012345678901234567890"),
                Arguments.of(new BigDecimal("1E+400"), "1E+400"),
                Arguments.of(new BigDecimal("1E-400"), "1E-400"),
                Arguments.of(BigInteger.valueOf(Long.MIN_VALUE), Long.MIN_VALUE),
                Arguments.of(BigInteger.TWO.pow(64), "18446744073709551616"),
                Arguments.of("", ""),
                Arguments.of("h\u00e9llo \ud83d\ude00 \u4e16\u754c", "h\u00e9llo \ud83d\ude00 \u4e16\u754c"),
                Arguments.of('x', "x"),
                Arguments.of(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                        "123e4567-e89b-12d3-a456-426614174000"),
                Arguments.of(Color.GREEN, "GREEN"),
                Arguments.of(Instant.parse("2024-03-01T12:34:56.123456789Z"), "2024-03-01 12:34:56.123456789"),
                Arguments.of(Instant.parse("1969-12-31T23:59:59.999Z"), "1969-12-31 23:59:59.999"),
                Arguments.of(Instant.parse("0000-01-01T00:00:00Z"), "0000-01-01 00:00:00"),
                Arguments.of(Instant.parse("9999-12-31T23:59:59.999999999Z"), "9999-12-31 23:59:59.999999999"),
                Arguments.of(LocalDate.of(2024, 2, 29), "2024-02-29"),
                Arguments.of(LocalTime.of(0, 0), "00:00:00"),
                Arguments.of(LocalTime.of(23, 59, 59, 1), "23:59:59.000000001"),
                Arguments.of(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 600_000_000), "2024-01-02 03:04:05.6"),
                Arguments.of(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(-5)),
                        "2024-01-02 03:04:05-05:00"),
                Arguments.of(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC), "2024-01-02 03:04:05+00:00"),
                Arguments.of(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHoursMinutes(5, 45)),
                        "2024-01-02 03:04:05+05:45"),
                Arguments.of(Duration.ofHours(25).plusNanos(1), "PT25H0.000000001S"),
                Arguments.of(Duration.ofSeconds(-90), "PT-1M-30S"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void encodesToTheSqliteValueAndBack(Object value, Object stored) {
        Object encoded = CODECS.encode(value);
        assertThat(encoded).isEqualTo(stored);
        Object decoded = CODECS.decode(encoded, value.getClass());
        if (value instanceof Double) {
            // equals distinguishes -0.0 from 0.0, which is the point.
            assertThat(Double.doubleToRawLongBits((Double) decoded)).isEqualTo(Double.doubleToRawLongBits((Double) value));
        } else if (value instanceof BigDecimal) {
            assertThat(decoded).isEqualTo(value); // scale included
        } else {
            assertThat(decoded).isEqualTo(value);
        }
    }

    @Test
    void blobsAndBuffers() {
        byte[] empty = new byte[0];
        assertThat((byte[]) CODECS.encode(empty)).isEmpty();
        assertThat(CODECS.decode(new byte[0], byte[].class)).isEmpty();
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
        buffer.position(1).limit(3);
        assertThat((byte[]) CODECS.encode(buffer)).containsExactly(2, 3);
        assertThat(buffer.position()).isEqualTo(1);
        assertThat(CODECS.decode(new byte[] {2, 3}, ByteBuffer.class)).isEqualTo(ByteBuffer.wrap(new byte[] {2, 3}));
        assertThat(CODECS.encode(ByteBuffer.allocateDirect(2))).isEqualTo(new byte[2]);
    }

    @Test
    void nullAndOptional() {
        assertThat(CODECS.encode(null)).isNull();
        assertThat(CODECS.encode(Optional.empty())).isNull();
        assertThat(CODECS.encode(Optional.of(LocalDate.of(2024, 1, 1)))).isEqualTo("2024-01-01");
        assertThat(CODECS.decode(null, Optional.class)).isEmpty();
        assertThat(CODECS.decode(null, LocalDate.class)).isNull();
        assertThat(CODECS.decode(7L, Optional.class)).contains(7L);
        assertThat(CODECS.decode(7L, long.class)).isEqualTo(7L);
    }

    @Test
    void zonedDateTimesKeepInstantAndOffsetButNotTheRegion() {
        for (String zone : new String[] {"Europe/Paris", "America/New_York", "Asia/Kathmandu", "Pacific/Chatham",
                "UTC"}) {
            ZonedDateTime z = ZonedDateTime.of(2024, 3, 31, 3, 30, 0, 123_000_000, ZoneId.of(zone));
            ZonedDateTime back = CODECS.decode(CODECS.encode(z), ZonedDateTime.class);
            assertThat(back.toInstant()).isEqualTo(z.toInstant());
            assertThat(back.getOffset()).isEqualTo(z.getOffset());
            assertThat(back.getZone()).isEqualTo(z.getOffset());
        }
    }

    @Test
    void uuidAsBlob() {
        CodecRegistry blobs = CodecRegistry.builder().uuidStorage(UuidStorage.BLOB).discover(false).build();
        UUID u = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        byte[] b = (byte[]) blobs.encode(u);
        assertThat(b).hasSize(16).startsWith(0x00, 0x11).endsWith(0xee, 0xff);
        assertThat(blobs.decode(b, UUID.class)).isEqualTo(u);
        assertThat(CODECS.decode(b, UUID.class)).isEqualTo(u);
        assertThat(blobs.decode(u.toString(), UUID.class)).isEqualTo(u);
    }

    static Stream<Arguments> numericTimes() {
        Instant i = Instant.parse("2024-03-01T12:34:56.789Z");
        return Stream.of(
                Arguments.of(TimeStorage.UNIX_SECONDS, i, 1709296496L, Instant.parse("2024-03-01T12:34:56Z")),
                Arguments.of(TimeStorage.UNIX_MILLIS, i, 1709296496789L, i),
                Arguments.of(TimeStorage.JULIAN_DAY, i, 2460371.024268391, i),
                Arguments.of(TimeStorage.UNIX_SECONDS, Instant.parse("1969-12-31T23:59:59.5Z"), -1L,
                        Instant.parse("1969-12-31T23:59:59Z")),
                Arguments.of(TimeStorage.UNIX_MILLIS, Instant.parse("1969-12-31T23:59:59.9995Z"), -1L,
                        Instant.parse("1969-12-31T23:59:59.999Z")),
                Arguments.of(TimeStorage.JULIAN_DAY, Instant.parse("1970-01-01T00:00:00Z"), 2440587.5,
                        Instant.parse("1970-01-01T00:00:00Z")));
    }

    @ParameterizedTest
    @MethodSource("numericTimes")
    void instantsAsNumbers(TimeStorage storage, Instant value, Object stored, Instant back) {
        CodecRegistry r = CodecRegistry.builder().timeStorage(storage).discover(false).build();
        Object encoded = r.encode(value);
        if (stored instanceof Double) {
            assertThat((Double) encoded).isCloseTo((Double) stored, org.assertj.core.data.Offset.offset(1e-9));
        } else {
            assertThat(encoded).isEqualTo(stored);
        }
        assertThat(r.decode(encoded, Instant.class)).isEqualTo(back);
        assertThat(r.decode(r.encode(LocalDate.of(2024, 3, 1)), LocalDate.class)).isEqualTo(LocalDate.of(2024, 3, 1));
        LocalDateTime ldt = LocalDateTime.of(2024, 3, 1, 1, 2, 3);
        assertThat(r.decode(r.encode(ldt), LocalDateTime.class)).isEqualTo(ldt);
        OffsetDateTime odt = OffsetDateTime.of(ldt, ZoneOffset.ofHours(2));
        assertThat(r.decode(r.encode(odt), OffsetDateTime.class)).isEqualTo(odt.withOffsetSameInstant(ZoneOffset.UTC));
        assertThat(r.decode(r.encode(Duration.ofMinutes(90)), Duration.class)).isEqualTo(Duration.ofMinutes(90));
        assertThat(r.encode(LocalTime.NOON)).isEqualTo("12:00:00");
    }

    @Test
    void readsTheTextSqliteWrites() {
        assertThat(CODECS.decode("2024-03-01 12:34:56", Instant.class)).isEqualTo(Instant.parse("2024-03-01T12:34:56Z"));
        assertThat(CODECS.decode("2024-03-01T12:34", LocalDateTime.class))
                .isEqualTo(LocalDateTime.of(2024, 3, 1, 12, 34));
        assertThat(CODECS.decode("2024-03-01 12:34:56.5+02:00", Instant.class))
                .isEqualTo(Instant.parse("2024-03-01T10:34:56.5Z"));
        assertThat(CODECS.decode("2024-03-01 01:00:00+02:00", LocalDate.class)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(CODECS.decode("2024-03-01 12:34:56Z", OffsetDateTime.class))
                .isEqualTo(OffsetDateTime.of(2024, 3, 1, 12, 34, 56, 0, ZoneOffset.UTC));
        assertThat(CODECS.decode("2024-03-01", LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 3, 1, 0, 0));
        assertThat(CODECS.decode("2024-03-01 12:34:56", LocalTime.class)).isEqualTo(LocalTime.of(12, 34, 56));
        assertThat(CODECS.decode("12:34", LocalTime.class)).isEqualTo(LocalTime.of(12, 34));
        assertThat(CODECS.decode(2460371.024268391, Instant.class)).isEqualTo(Instant.parse("2024-03-01T12:34:56.789Z"));
        assertThat(CODECS.decode(1709296496L, Instant.class)).isEqualTo(Instant.parse("2024-03-01T12:34:56Z"));
        assertThat(CODECS.decode("true", Boolean.class)).isTrue();
        assertThat(CODECS.decode(2.0, Long.class)).isEqualTo(2L);
        assertThat(CODECS.decode(" 42 ", Integer.class)).isEqualTo(42);
        assertThat(CODECS.decode(0.1, BigDecimal.class)).isEqualTo(new BigDecimal("0.1"));
    }

    @Test
    void refusesWhatItCannotStoreOrRead() {
        assertThatThrownBy(() -> CODECS.encode(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN").hasMessageContaining("NULL");
        assertThatThrownBy(() -> CODECS.encode(Float.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> CODECS.encode(new Object())).hasMessageContaining("unsupported type java.lang.Object");
        assertThatThrownBy(() -> CODECS.encode('\ud800')).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> CODECS.encode(Instant.parse("+10000-01-01T00:00:00Z")))
                .hasMessageContaining("0000-9999");
        assertThatThrownBy(() -> CODECS.encode(LocalDate.of(-1, 1, 1))).hasMessageContaining("year -1");
        assertThatThrownBy(() -> CODECS.decode("2024-13-01", LocalDate.class))
                .hasMessageContaining("'2024-13-01'").hasMessageContaining("not a date");
        assertThatThrownBy(() -> CODECS.decode("yesterday", Instant.class)).hasMessageContaining("'yesterday'");
        assertThatThrownBy(() -> CODECS.decode("12:00", Instant.class)).hasMessageContaining("not a date-time");
        assertThatThrownBy(() -> CODECS.decode(128L, Byte.class)).hasMessageContaining("out of range for byte");
        assertThatThrownBy(() -> CODECS.decode(1.5, Long.class)).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> CODECS.decode("abc", BigDecimal.class)).hasMessageContaining("'abc'");
        assertThatThrownBy(() -> CODECS.decode("BLUE", Color.class)).hasMessageContaining("[RED, GREEN]");
        assertThatThrownBy(() -> CODECS.decode("1-2-3-4-5", UUID.class)).hasMessageContaining("not a UUID");
        assertThatThrownBy(() -> CODECS.decode(new byte[3], UUID.class)).hasMessageContaining("BLOB of 3 bytes");
        assertThatThrownBy(() -> CODECS.decode("maybe", Boolean.class)).hasMessageContaining("'maybe'");
        assertThatThrownBy(() -> CODECS.decode("xy", Character.class)).hasMessageContaining("one char");
        assertThatThrownBy(() -> CODECS.decode("P1X", Duration.class)).hasMessageContaining("ISO-8601 duration");
        assertThatThrownBy(() -> CODECS.decode(1L, Thread.class)).hasMessageContaining("no codec decodes to java.lang.Thread");
    }

    @Test
    void declaredTypesSelectClasses() {
        assertThat(CODECS.javaTypeFor("DATE")).isEqualTo(LocalDate.class);
        assertThat(CODECS.javaTypeFor(" timestamp ")).isEqualTo(LocalDateTime.class);
        assertThat(CODECS.javaTypeFor("DATETIME")).isEqualTo(LocalDateTime.class);
        assertThat(CODECS.javaTypeFor("decimal(10,2)")).isEqualTo(BigDecimal.class);
        assertThat(CODECS.javaTypeFor("DECIMAL TEXT")).isEqualTo(BigDecimal.class);
        assertThat(CODECS.javaTypeFor("Boolean")).isEqualTo(Boolean.class);
        assertThat(CODECS.javaTypeFor("uuid")).isEqualTo(UUID.class);
        assertThat(CODECS.javaTypeFor("TIMESTAMPTZ")).isEqualTo(OffsetDateTime.class);
        assertThat(CODECS.javaTypeFor("TIME")).isEqualTo(LocalTime.class);
        assertThat(CODECS.javaTypeFor("INTERVAL")).isEqualTo(Duration.class);
        assertThat(CODECS.javaTypeFor("INTEGER")).isNull();
        assertThat(CODECS.javaTypeFor("TEXT")).isNull();
        assertThat(CODECS.javaTypeFor("")).isNull();
        assertThat(CODECS.javaTypeFor(null)).isNull();
    }
}
