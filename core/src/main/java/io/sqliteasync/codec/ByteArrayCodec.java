package io.sqliteasync.codec;

import java.nio.charset.StandardCharsets;

/** {@code byte[]}: stored as BLOB; read from BLOB (a copy) or TEXT (its UTF-8 bytes). */
final class ByteArrayCodec implements Codec<byte[]> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == byte[].class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == byte[].class;
    }

    @Override
    public Object encode(byte[] value) {
        return value;
    }

    @Override
    public byte[] decode(Object value, Class<?> type) {
        if (value instanceof byte[]) {
            return ((byte[]) value).clone();
        }
        if (value instanceof String) {
            return ((String) value).getBytes(StandardCharsets.UTF_8);
        }
        throw Codecs.wrongStorage(value, "BLOB or TEXT");
    }
}
