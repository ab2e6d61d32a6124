package io.sqliteasync.dqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MessageWriterTest {
    private static final HexFormat HEX = HexFormat.of();

    /** The body bytes (after the 8-byte header) that one encoding step writes. */
    private static String body(Consumer<MessageWriter> step) {
        MessageWriter w = new MessageWriter().start();
        step.accept(w);
        byte[] all = w.buffer();
        return HEX.formatHex(all, Wire.HEADER, w.length());
    }

    static Stream<Arguments> encodings() {
        return Stream.of(
                Arguments.of("uint64 is little-endian", (Consumer<MessageWriter>) w -> w.uint64(0x0102030405060708L),
                        "0807060504030201"),
                Arguments.of("uint64 of -1 is all ones", (Consumer<MessageWriter>) w -> w.uint64(-1),
                        "ffffffffffffffff"),
                Arguments.of("uint32 pairs fill one word", (Consumer<MessageWriter>) w -> {
                    w.uint32(7);
                    w.uint32(0x01020304);
                }, "0700000004030201"),
                Arguments.of("empty text is one NUL padded to a word", (Consumer<MessageWriter>) w -> w.text("", "t"),
                        "0000000000000000"),
                Arguments.of("seven characters and the NUL fill one word exactly",
                        (Consumer<MessageWriter>) w -> w.text("SELECT1", "t"), "53454c4543543100"),
                Arguments.of("eight characters need a second word for the NUL",
                        (Consumer<MessageWriter>) w -> w.text("SELECT 1", "t"), "53454c4543542031" + "0000000000000000"),
                Arguments.of("unicode text is UTF-8", (Consumer<MessageWriter>) w -> w.text("h\u00e9\u2713", "t"),
                        "68c3a9e29c930000"),
                Arguments.of("an emoji is four UTF-8 bytes", (Consumer<MessageWriter>) w -> w.text("\ud83d\ude00", "t"),
                        "f09f988000000000"),
                Arguments.of("empty blob is its length only", (Consumer<MessageWriter>) w -> w.blob(new byte[0]),
                        "0000000000000000"),
                Arguments.of("blob bytes with NULs are padded to a word",
                        (Consumer<MessageWriter>) w -> w.blob(new byte[] {0, 1, 0}), "0300000000000000" + "0001000000000000"),
                Arguments.of("eight blob bytes need no padding",
                        (Consumer<MessageWriter>) w -> w.blob(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
                        "0800000000000000" + "0102030405060708"),
                Arguments.of("nine blob bytes pad to two words",
                        (Consumer<MessageWriter>) w -> w.blob(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}),
                        "0900000000000000" + "0102030405060708" + "0900000000000000"),
                Arguments.of("no parameters write nothing", (Consumer<MessageWriter>) w -> w.params(new Object[0], false),
                        ""),
                Arguments.of("one integer: count, type, padding, value",
                        (Consumer<MessageWriter>) w -> w.params(new Object[] {42L}, false),
                        "0101000000000000" + "2a00000000000000"),
                Arguments.of("every type code in one tuple", (Consumer<MessageWriter>) w -> w.params(new Object[] {
                    1, 1.5, "x", new byte[] {9}, null, true, 2L, }, false),
                        "07" + "01020304050b01" // count 7, then 7 type codes: exactly one word
                                + "0100000000000000" // 1
                                + "000000000000f83f" // 1.5
                                + "7800000000000000" // "x"
                                + "0100000000000000" + "0900000000000000" // blob of 1
                                + "0000000000000000" // null
                                + "0100000000000000" // true
                                + "0200000000000000"), // 2
                Arguments.of("eight parameters: nine header bytes pad to two words",
                        (Consumer<MessageWriter>) w -> w.params(new Object[] {0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L}, false),
                        "08" + "01010101010101" + "01" + "00000000000000" + "0000000000000000".repeat(8)),
                Arguments.of("false is a zero word, Float widens to double",
                        (Consumer<MessageWriter>) w -> w.params(new Object[] {false, 0.5f}, false),
                        "020b020000000000" + "0000000000000000" + "000000000000e03f"),
                Arguments.of("OffsetDateTime is ISO 8601 text as go-dqlite writes it",
                        (Consumer<MessageWriter>) w -> w.params(new Object[] {
                            OffsetDateTime.of(2024, 2, 29, 13, 4, 5, 120_000_000, ZoneOffset.ofHours(-7))}, false),
                        "010a000000000000" + HEX.formatHex("2024-02-29 13:04:05.12-07:00\0\0\0\0".getBytes())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void encodesFieldsWordAligned(String name, Consumer<MessageWriter> step, String expectedHex) {
        assertThat(body(step)).isEqualTo(expectedHex);
        assertThat(expectedHex.length() % 16).as("whole words").isZero();
    }

    @Test
    void headerCountsBodyWordsAndCarriesTypeAndSchema() {
        MessageWriter w = new MessageWriter().start();
        w.uint64(1);
        w.text("SELECT 1", "sql");
        int length = w.finish(Wire.REQUEST_QUERY_SQL, 1);
        assertThat(length).isEqualTo(8 + 24);
        assertThat(HEX.formatHex(w.buffer(), 0, 8)).isEqualTo("0300000009010000");
    }

    @Test
    void emptyBodyIsRefused() {
        MessageWriter w = new MessageWriter().start();
        assertThatThrownBy(() -> w.finish(Wire.REQUEST_LEADER, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void twoHundredFiftyFiveParametersUseTheOneByteCount() {
        Object[] values = IntStream.range(0, 255).mapToObj(i -> (Object) (long) i).toArray();
        MessageWriter w = new MessageWriter().start();
        assertThat(w.params(values, false)).isEqualTo(Wire.PARAMS_SCHEMA_V0);
        String hex = HEX.formatHex(w.buffer(), Wire.HEADER, w.length());
        assertThat(hex).startsWith("ff" + "01".repeat(255));
        // 1 count byte + 255 type bytes = 256 bytes, already word-aligned; then 255 values.
        assertThat(w.length() - Wire.HEADER).isEqualTo(256 + 255 * 8);
    }

    @Test
    void moreThan255ParametersUseTheFourByteCountOfSchemaOne() {
        Object[] values = IntStream.range(0, 300).mapToObj(i -> (Object) ("v" + i)).toArray();
        MessageWriter w = new MessageWriter().start();
        assertThat(w.params(values, true)).isEqualTo(Wire.PARAMS_SCHEMA_V1);
        String hex = HEX.formatHex(w.buffer(), Wire.HEADER, w.length());
        assertThat(hex).startsWith("2c010000" + "03".repeat(300));
        // 4 count bytes + 300 type bytes = 304 = 38 words: no padding; the first value follows.
        assertThat(hex.substring(2 * 304, 2 * 312)).isEqualTo("7630000000000000");
        assertThat((w.length() - Wire.HEADER) % 8).isZero();
    }

    @Test
    void moreThan255ParametersAreRefusedUnlessWideParametersAreOn() {
        Object[] values = new Object[256];
        assertThatThrownBy(() -> new MessageWriter().start().params(values, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256 parameters")
                .hasMessageContaining("wideParameters");
    }

    @Test
    void textWithNulIsRefusedAndPointsToBlobs() {
        assertThatThrownBy(() -> new MessageWriter().start().params(new Object[] {"a\0b"}, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 1 contains a NUL")
                .hasMessageContaining("blob");
    }

    @Test
    void unsupportedTypesAreRefusedByName() {
        assertThatThrownBy(() -> new MessageWriter().start().params(new Object[] {1L, new java.math.BigDecimal("1")},
                false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 2")
                .hasMessageContaining("java.math.BigDecimal");
    }

    @Test
    void instantsAreIso8601TextAtUtcWithTheirFraction() {
        assertThat(body(w -> w.params(new Object[] {Instant.ofEpochMilli(1500)}, false)))
                .isEqualTo("010a000000000000" + HEX.formatHex("1970-01-01 00:00:01.5+00:00\0\0\0\0\0".getBytes()));
    }

    @Test
    void theBufferGrowsForLargeBlobs() {
        byte[] big = new byte[100_003];
        big[100_002] = 7;
        MessageWriter w = new MessageWriter().start();
        w.blob(big);
        assertThat(w.length() - Wire.HEADER).isEqualTo(8 + 100_008);
        assertThat(w.buffer()[Wire.HEADER + 8 + 100_002]).isEqualTo((byte) 7);
    }

    @Test
    void aReusedWriterZeroesThePaddingOfShorterText() {
        MessageWriter w = new MessageWriter().start();
        w.text("abcdefghijklmno", "t");
        w.start();
        w.text("a", "t");
        assertThat(HEX.formatHex(w.buffer(), Wire.HEADER, w.length())).isEqualTo("6100000000000000");
    }
}
