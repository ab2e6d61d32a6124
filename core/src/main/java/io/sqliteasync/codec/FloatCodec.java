package io.sqliteasync.codec;

/** {@link Float}: stored as REAL (exactly, as a double); read as the nearest float. NaN is refused, like double. */
final class FloatCodec implements Codec<Float> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == Float.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == Float.class;
    }

    @Override
    public Object encode(Float value) {
        return DoubleCodec.checkNotNaN(value.doubleValue());
    }

    @Override
    public Float decode(Object value, Class<?> type) {
        return (float) Numeric.toDouble(value);
    }
}
