package io.sqliteasync.codec;

/** {@link Integer}: stored as INTEGER; read from INTEGER, integral REAL or numeric TEXT, failing outside its range. */
final class IntegerCodec implements Codec<Integer> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == Integer.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == Integer.class;
    }

    @Override
    public Object encode(Integer value) {
        return value.longValue();
    }

    @Override
    public Integer decode(Object value, Class<?> type) {
        return (int) Numeric.inRange(Numeric.toLong(value), Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
    }
}
