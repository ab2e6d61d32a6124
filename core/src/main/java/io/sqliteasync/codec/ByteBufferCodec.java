package io.sqliteasync.codec;

import java.nio.ByteBuffer;

/**
 * {@link ByteBuffer}: the bytes between position and limit, stored as BLOB; the buffer's position is not moved.
 * Read as a new heap buffer over a copy, positioned at 0.
 */
final class ByteBufferCodec implements Codec<ByteBuffer> {
    private final ByteArrayCodec bytes = new ByteArrayCodec();

    @Override
    public boolean canEncode(Class<?> type) {
        return ByteBuffer.class.isAssignableFrom(type);
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == ByteBuffer.class;
    }

    @Override
    public Object encode(ByteBuffer value) {
        byte[] b = new byte[value.remaining()];
        value.duplicate().get(b);
        return b;
    }

    @Override
    public ByteBuffer decode(Object value, Class<?> type) {
        return ByteBuffer.wrap(bytes.decode(value, byte[].class));
    }
}
