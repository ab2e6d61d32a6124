package io.sqliteasync.codec;

/** {@link Long}: stored as INTEGER; read from INTEGER, integral REAL or numeric TEXT. */
final class LongCodec implements Codec<Long> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == Long.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == Long.class;
    }

    @Override
    public Object encode(Long value) {
        return value;
    }

    @Override
    public Long decode(Object value, Class<?> type) {
        return Numeric.toLong(value);
    }
}
