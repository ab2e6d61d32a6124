package io.sqliteasync.codec;

/**
 * {@link Double}: stored as REAL; read from REAL, INTEGER or numeric TEXT. NaN is refused: SQLite stores NaN as
 * NULL (see {@code sqlite3_bind_double}), which would silently turn a value into a missing one. Infinities and
 * {@code -0.0} are stored as given.
 */
final class DoubleCodec implements Codec<Double> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == Double.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == Double.class;
    }

    @Override
    public Object encode(Double value) {
        return checkNotNaN(value);
    }

    @Override
    public Double decode(Object value, Class<?> type) {
        return Numeric.toDouble(value);
    }

    static Double checkNotNaN(Double value) {
        if (value.isNaN()) {
            throw new IllegalArgumentException("NaN cannot be stored: SQLite would store it as NULL; bind null"
                    + " explicitly if that is meant");
        }
        return value;
    }
}
