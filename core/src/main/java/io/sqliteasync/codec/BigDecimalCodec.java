package io.sqliteasync.codec;

import java.math.BigDecimal;
import java.util.Set;

/**
 * {@link BigDecimal}: stored exactly as TEXT ({@link BigDecimal#toString()}, scale kept: {@code 1.50} stays
 * {@code 1.50}, {@code 1E+3} stays {@code 1E+3}). Read from TEXT, INTEGER or REAL (shortest decimal form).
 *
 * <p>A column declared {@code DECIMAL} has NUMERIC affinity, and SQLite converts well-formed numeric text stored in
 * it to INTEGER or REAL, keeping only 15 significant digits. Declare {@code DECIMAL TEXT} (TEXT affinity, still
 * read back as {@link BigDecimal}) to keep every digit. See https://www.sqlite.org/datatype3.html.
 */
final class BigDecimalCodec implements Codec<BigDecimal> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == BigDecimal.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == BigDecimal.class;
    }

    @Override
    public Object encode(BigDecimal value) {
        return value.toString();
    }

    @Override
    public BigDecimal decode(Object value, Class<?> type) {
        return Numeric.toBigDecimal(value);
    }

    @Override
    public Set<String> declaredTypes() {
        return Set.of("DECIMAL");
    }

    @Override
    public Class<?> declaredJavaType() {
        return BigDecimal.class;
    }
}
