package io.sqliteasync.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.BlockingConnection;
import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.Row;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecRegistryTest {
    /** Overrides the built-in boolean codec: Y and N. */
    static final class YesNoCodec implements Codec<Boolean> {
        @Override
        public boolean canEncode(Class<?> type) {
            return type == Boolean.class;
        }

        @Override
        public boolean canDecode(Class<?> type) {
            return type == Boolean.class;
        }

        @Override
        public Object encode(Boolean value) {
            return value ? "Y" : "N";
        }

        @Override
        public Boolean decode(Object value, Class<?> type) {
            return "Y".equals(value);
        }
    }

    /** Encodes to another Java value, which the registry encodes in turn. */
    record Cents(long cents) {
    }

    static final class CentsCodec implements Codec<Cents> {
        @Override
        public boolean canEncode(Class<?> type) {
            return type == Cents.class;
        }

        @Override
        public boolean canDecode(Class<?> type) {
            return type == Cents.class;
        }

        @Override
        public Object encode(Cents value) {
            return BigDecimal.valueOf(value.cents(), 2);
        }

        @Override
        public Cents decode(Object value, Class<?> type) {
            return new Cents(new BigDecimal(value.toString()).movePointRight(2).longValueExact());
        }
    }

    @TempDir
    Path dir;

    @Test
    void serviceLoaderCodecsAreFoundAndUserCodecsComeFirst() {
        assertThat(CodecRegistry.defaults().codecs()).anyMatch(c -> c instanceof Money.MoneyCodec);
        assertThat(CodecRegistry.defaults().encode(new Money(new BigDecimal("1.5"), "EUR"))).isEqualTo("1.5 EUR");
        assertThat(CodecRegistry.defaults().javaTypeFor("money")).isEqualTo(Money.class);
        CodecRegistry plain = CodecRegistry.builder().discover(false).build();
        assertThat(plain.canEncode(Money.class)).isFalse();
        assertThat(plain.javaTypeFor("MONEY")).isNull();

        CodecRegistry custom = CodecRegistry.builder().add(new YesNoCodec()).add(new CentsCodec())
                .declaredType("FLAG", Boolean.class).declaredType("cents", Cents.class).build();
        assertThat(custom.codecs().get(0)).isInstanceOf(YesNoCodec.class);
        assertThat(custom.encode(true)).isEqualTo("Y");
        assertThat(custom.encode(new Cents(1234))).isEqualTo("12.34");
        assertThat(custom.decode("Y", boolean.class)).isTrue();
        assertThatThrownBy(() -> CodecRegistry.builder().declaredType("TWO WORDS", String.class))
                .hasMessageContaining("one word");
    }

    @Test
    void aConnectionUsesItsRegistryForBindingAndDecoding() {
        CodecRegistry custom = CodecRegistry.builder().add(new YesNoCodec()).add(new CentsCodec())
                .declaredType("FLAG", Boolean.class).declaredType("CENTS", Cents.class).build();
        try (AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("r.db").toString())
                .codecs(custom).build()).join()) {
            BlockingConnection db = c.blocking();
            db.execute("CREATE TABLE t(f FLAG, p CENTS, m MONEY)");
            db.execute("INSERT INTO t VALUES (:f, :p, :m)", Map.of("f", true, "p", new Cents(250),
                    "m", new Money(new BigDecimal("9.99"), "USD")));
            Row r = db.fetchOne("SELECT f, p, m, typeof(p) FROM t");
            assertThat(r.get(0, String.class)).isEqualTo("Y");
            assertThat(r.get("f")).isEqualTo(true);
            assertThat(r.get("p")).isEqualTo(new Cents(250));
            assertThat(r.get("m")).isEqualTo(new Money(new BigDecimal("9.99"), "USD"));
        }
        try (AsyncConnection c = AsyncConnection.open(dir.resolve("r.db").toString()).join()) {
            Row r = c.blocking().fetchOne("SELECT f, p FROM t");
            assertThat(r.get("f")).isEqualTo("Y");
            assertThatThrownBy(() -> r.get("p", Cents.class)).hasMessageContaining("no codec decodes to")
                    .hasMessageContaining("Cents");
        }
    }

    @Test
    void encodingThatNeverReachesASqliteValueFails() {
        Codec<StringBuilder> loop = new Codec<>() {
            @Override
            public boolean canEncode(Class<?> type) {
                return type == StringBuilder.class;
            }

            @Override
            public boolean canDecode(Class<?> type) {
                return false;
            }

            @Override
            public Object encode(StringBuilder value) {
                return value;
            }

            @Override
            public StringBuilder decode(Object value, Class<?> type) {
                throw new UnsupportedOperationException();
            }
        };
        CodecRegistry r = CodecRegistry.builder().add(loop).build();
        assertThatThrownBy(() -> r.encode(new StringBuilder())).hasMessageContaining("did not reach a SQLite value");
    }
}
