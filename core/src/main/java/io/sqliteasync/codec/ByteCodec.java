package io.sqliteasync.codec;

/** {@link Byte}: stored as INTEGER; read from INTEGER, integral REAL or numeric TEXT, failing outside its range. */
final class ByteCodec implements Codec<Byte> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == Byte.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == Byte.class;
    }

    @Override
    public Object encode(Byte value) {
        return value.longValue();
    }

    @Override
    public Byte decode(Object value, Class<?> type) {
        return (byte) Numeric.inRange(Numeric.toLong(value), Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
    }
}
