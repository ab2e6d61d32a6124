package io.sqliteasync.codec;

/** {@link Short}: stored as INTEGER; read from INTEGER, integral REAL or numeric TEXT, failing outside its range. */
final class ShortCodec implements Codec<Short> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == Short.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == Short.class;
    }

    @Override
    public Object encode(Short value) {
        return value.longValue();
    }

    @Override
    public Short decode(Object value, Class<?> type) {
        return (short) Numeric.inRange(Numeric.toLong(value), Short.MIN_VALUE, Short.MAX_VALUE, "short");
    }
}
