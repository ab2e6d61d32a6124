package io.sqliteasync.codec;

import java.nio.charset.StandardCharsets;

/**
 * {@link String}: stored as TEXT (UTF-8). Read from TEXT as is, numbers formatted ({@code Long.toString},
 * {@code Double.toString}), BLOB decoded as UTF-8. Strings with unpaired surrogates are refused: UTF-8 cannot hold
 * them and SQLite would store replacement characters.
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

    /** Fails on an unpaired surrogate; used where text must survive UTF-8 exactly. */
    static String checkWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException("text has an unpaired surrogate U+"
                            + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i
                            + ", which UTF-8 cannot store");
                }
            }
        }
        return s;
    }
}
