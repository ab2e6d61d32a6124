package io.sqliteasync.codec;

import java.math.BigInteger;

/**
 * {@link BigInteger}: stored as INTEGER when it fits in 64 bits (so SQL arithmetic and comparison work), otherwise
 * as TEXT of its decimal digits. Read from INTEGER, TEXT or an integral REAL. Store large values in a column with
 * TEXT or BLOB affinity: INTEGER and NUMERIC affinity turn over-long digit strings into an inexact REAL.
 */
final class BigIntegerCodec implements Codec<BigInteger> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == BigInteger.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == BigInteger.class;
    }

    /** The most integer digits decoded; SQLite's own TEXT limit is a billion bytes. */
    static final int MAX_DIGITS = 100_000;

    @Override
    public Object encode(BigInteger value) {
        return value.bitLength() < 64 ? (Object) value.longValue() : value.toString();
    }

    @Override
    public BigInteger decode(Object value, Class<?> type) {
        if (value instanceof Long) {
            return BigInteger.valueOf((Long) value);
        }
        try {
            java.math.BigDecimal d = Numeric.toBigDecimal(value);
            // Text such as 1e1000000000 would expand to a billion digits and stall the worker thread.
            if ((long) d.precision() - d.scale() > MAX_DIGITS) {
                throw new IllegalArgumentException(Codecs.describe(value) + " has more than " + MAX_DIGITS
                        + " integer digits");
            }
            return d.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(Codecs.describe(value) + " is not a whole number", e);
        }
    }
}
