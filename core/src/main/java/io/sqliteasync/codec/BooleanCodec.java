package io.sqliteasync.codec;

import java.util.Set;

/**
 * {@link Boolean}: stored as INTEGER 1 or 0, as SQLite's own {@code TRUE}/{@code FALSE} are. Read from any number
 * (non-zero is true) or the text {@code true}, {@code false}, {@code 1}, {@code 0} (any case).
 */
final class BooleanCodec implements Codec<Boolean> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == Boolean.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == Boolean.class;
    }

    @Override
    public Object encode(Boolean value) {
        return value ? 1L : 0L;
    }

    @Override
    public Boolean decode(Object value, Class<?> type) {
        if (value instanceof Long) {
            return (Long) value != 0L;
        }
        if (value instanceof Double) {
            return (Double) value != 0.0;
        }
        if (value instanceof String) {
            String s = ((String) value).trim();
            if (s.equalsIgnoreCase("true") || s.equals("1")) {
                return true;
            }
            if (s.equalsIgnoreCase("false") || s.equals("0")) {
                return false;
            }
            throw new IllegalArgumentException("text '" + Codecs.abbreviate(s) + "' is not a boolean; expected"
                    + " true, false, 1 or 0");
        }
        throw Codecs.wrongStorage(value, "INTEGER, REAL or TEXT");
    }

    @Override
    public Set<String> declaredTypes() {
        return Set.of("BOOLEAN", "BOOL");
    }

    @Override
    public Class<?> declaredJavaType() {
        return Boolean.class;
    }
}
