package io.sqliteasync.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.BlockingConnection;
import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.Row;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
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
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Random values of every built-in type survive encode/decode, and a trip through a real SQLite file. */
class CodecPropertiesTest {
    enum Level { LOW, MEDIUM, HIGH }

    private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");
    private static Path dir;
    private static AsyncConnection connection;
    private static BlockingConnection db;

    @BeforeContainer
    static void open() throws IOException {
        dir = Files.createTempDirectory("codec-properties");
        connection = AsyncConnection.open(ConnectionOptions.of(dir.resolve("p.db").toString())).join();
        db = connection.blocking();
        db.execute("CREATE TABLE t(v)");
    }

    @AfterContainer
    static void close() throws IOException {
        connection.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Combinators.combine(
                Arbitraries.longs().between(MIN.getEpochSecond(), MAX.getEpochSecond()),
                Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Instant> instants = instants();
        Arbitrary<ZoneOffset> offsets = Arbitraries.integers().between(-18 * 60, 18 * 60)
                .map(m -> ZoneOffset.ofTotalSeconds(m * 60));
        List<String> zones = List.of("Europe/Paris", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham",
                "Africa/Casablanca", "UTC", "Australia/Lord_Howe");
        Arbitrary<String> text = Arbitraries.integers().between(1, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list().ofMaxSize(40)
                .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint,
                        StringBuilder::append).toString());
        return Arbitraries.oneOf(List.of(
                Arbitraries.longs().map(Object.class::cast),
                Arbitraries.integers().map(Object.class::cast),
                Arbitraries.shorts().map(Object.class::cast),
                Arbitraries.bytes().map(Object.class::cast),
                Arbitraries.doubles().filter(d -> !d.isNaN()).map(Object.class::cast),
                Arbitraries.longs().map(Double::longBitsToDouble).filter(d -> !d.isNaN()).map(Object.class::cast),
                Arbitraries.floats().map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast),
                Combinators.combine(Arbitraries.bigIntegers().between(BigInteger.TEN.pow(60).negate(),
                        BigInteger.TEN.pow(60)), Arbitraries.integers().between(-80, 80))
                        .as(BigDecimal::new).map(Object.class::cast),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(130).negate(), BigInteger.TWO.pow(130))
                        .map(Object.class::cast),
                text.map(Object.class::cast),
                Arbitraries.chars().filter(c -> !Character.isSurrogate(c) && c != 0).map(Object.class::cast),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(Object.class::cast),
                Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new).map(Object.class::cast),
                Arbitraries.of(Level.class).map(Object.class::cast),
                instants.map(Object.class::cast),
                instants.map(i -> LocalDate.ofInstant(i, ZoneOffset.UTC)).map(Object.class::cast),
                instants.map(i -> LocalTime.ofInstant(i, ZoneOffset.UTC)).map(Object.class::cast),
                instants.map(i -> LocalDateTime.ofInstant(i, ZoneOffset.UTC)).map(Object.class::cast),
                Combinators.combine(instants, offsets).as((i, o) -> i.atOffset(ZoneOffset.UTC)
                        .withOffsetSameLocal(o)).map(Object.class::cast),
                Combinators.combine(instants.filter(i -> i.isAfter(Instant.parse("0001-01-02T00:00:00Z"))
                        && i.isBefore(Instant.parse("9999-12-30T00:00:00Z"))), Arbitraries.of(zones))
                        .as((i, z) -> ZonedDateTime.ofInstant(i, ZoneId.of(z))).map(Object.class::cast),
                Combinators.combine(Arbitraries.longs().between(-1L << 40, 1L << 40),
                        Arbitraries.integers().between(0, 999_999_999)).as(Duration::ofSeconds)
                        .map(Object.class::cast)));
    }

    @Property(tries = 1500)
    void encodeThenDecodeGivesTheValueBack(@ForAll("values") Object value) {
        CodecRegistry codecs = CodecRegistry.defaults();
        Object encoded = codecs.encode(value);
        assertThat(encoded).isInstanceOfAny(Long.class, Double.class, String.class, byte[].class);
        assertSame(value, codecs.decode(encoded, value.getClass()));
    }

    @Property(tries = 400)
    void survivesSqlite(@ForAll("values") Object value) {
        db.execute("DELETE FROM t");
        db.execute("INSERT INTO t VALUES (?)", value);
        Row row = db.fetchOne("SELECT v FROM t");
        assertSame(value, row.get(0, value.getClass()));
    }

    @Property(tries = 300)
    void numericTimeStoragesKeepMilliseconds(@ForAll("instants") Instant value) {
        Instant millis = value.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        for (TimeStorage storage : new TimeStorage[] {TimeStorage.UNIX_MILLIS, TimeStorage.JULIAN_DAY}) {
            CodecRegistry r = CodecRegistry.builder().timeStorage(storage).build();
            assertThat(r.decode(r.encode(millis), Instant.class)).as(storage.name()).isEqualTo(millis);
        }
        CodecRegistry seconds = CodecRegistry.builder().timeStorage(TimeStorage.UNIX_SECONDS).build();
        assertThat(seconds.decode(seconds.encode(value), Instant.class))
                .isEqualTo(value.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    private static void assertSame(Object expected, Object actual) {
        if (expected instanceof byte[]) {
            assertThat((byte[]) actual).isEqualTo((byte[]) expected);
        } else if (expected instanceof ZonedDateTime) {
            ZonedDateTime z = (ZonedDateTime) expected;
            assertThat(actual).isEqualTo(z.toOffsetDateTime().toZonedDateTime());
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }
}
