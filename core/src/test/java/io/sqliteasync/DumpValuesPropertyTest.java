package io.sqliteasync;

import static io.sqliteasync.DumpTestSupport.collect;
import static io.sqliteasync.DumpTestSupport.fingerprint;
import static io.sqliteasync.DumpTestSupport.script;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random values of every storage class come back from a dump exactly: integers, doubles by their bits (including
 * -0.0, subnormals and infinities), text with any code point (NUL, CR, LF, quotes, backslashes, supplementary
 * characters), any bytes.
 */
class DumpValuesPropertyTest {
    private static AsyncConnection source;
    private static AsyncConnection target;

    @BeforeContainer
    static void open() {
        source = AsyncConnection.open(":memory:").join();
        target = AsyncConnection.open(":memory:").join();
    }

    @AfterContainer
    static void close() {
        source.close();
        target.close();
    }

    @Property(tries = 300)
    void everyValueSurvivesADump(@ForAll("rows") List<Object> values) {
        BlockingConnection src = source.blocking();
        BlockingConnection dst = target.blocking();
        src.executeScript("DROP TABLE IF EXISTS t; CREATE TABLE t (v)");
        dst.executeScript("DROP TABLE IF EXISTS t");
        List<Object[]> sets = new ArrayList<>();
        for (Object v : values) {
            sets.add(new Object[] {v});
        }
        src.executeMany("INSERT INTO t VALUES (?)", sets);
        dst.executeScript(script(collect(source.dump())));
        assertThat(fingerprint(dst)).isEqualTo(fingerprint(src));
        // The values read back are the values bound.
        List<Object> back = new ArrayList<>();
        for (Row r : dst.fetchAll("SELECT +v FROM t ORDER BY rowid")) {
            back.add(r.get(0));
        }
        assertThat(back).hasSize(values.size());
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            Object b = back.get(i);
            if (v instanceof Double) {
                assertThat(Double.doubleToRawLongBits((Double) b)).isEqualTo(Double.doubleToRawLongBits((Double) v));
            } else {
                assertThat(b).isEqualTo(v);
            }
        }
    }

    @Provide
    Arbitrary<List<Object>> rows() {
        Arbitrary<Object> longs = Arbitraries.longs().map(x -> x);
        Arbitrary<Object> doubles = Arbitraries.oneOf(
                Arbitraries.doubles().map(x -> x),
                // Any bit pattern but NaN, which the library refuses to bind (SQLite would store NULL).
                Arbitraries.longs().map(bits -> Double.longBitsToDouble(bits)).filter(d -> !d.isNaN()),
                Arbitraries.of(-0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
                        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1, 1e22, 1e23,
                        2.2250738585072014E-308, 2.225073858507201E-308));
        Arbitrary<Integer> awkward = Arbitraries.of(0, 1, 9, 10, 13, 27, 31, 39, 92, 127, 0x80, 0xA0, 0x2028, 0xFEFF,
                0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF);
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0x20, 0x7E)),
                net.jqwik.api.Tuple.of(2, awkward),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 0x10FFFF)
                        .filter(c -> c < 0xD800 || c > 0xDFFF)));
        Arbitrary<Object> texts = codePoints.list().ofMaxSize(30).map(cps -> {
            StringBuilder b = new StringBuilder();
            cps.forEach(b::appendCodePoint);
            return b.toString();
        });
        Arbitrary<Object> blobs = Arbitraries.bytes().array(byte[].class).ofMaxSize(30).map(x -> x);
        Arbitrary<Object> nulls = Arbitraries.just(null);
        return Arbitraries.oneOf(longs, doubles, texts, blobs, nulls).list().ofMinSize(1).ofMaxSize(8);
    }
}
