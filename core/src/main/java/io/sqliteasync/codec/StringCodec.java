package io.sqliteasync.codec;

import java.nio.charset.StandardCharsets;

/**
 * {@link String}: stored as TEXT (UTF-8). Read from TEXT as is, numbers formatted ({@code Long.toString},
 * {@code Double.toString}), BLOB decoded as UTF-8. An unpaired surrogate cannot be held in UTF-8; sqlite-jdbc stores
 * {@code ?} in its place (strings are not scanned for them, to keep binding cheap).
 */
final class StringCodec implements Codec<String> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == String.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == String.class;
    }

    @Override
    public Object encode(String value) {
        return value;
    }

    @Override
    public String decode(Object value, Class<?> type) {
        if (value instanceof byte[]) {
            return new String((byte[]) value, StandardCharsets.UTF_8);
        }
        return value.toString();
    }
}
