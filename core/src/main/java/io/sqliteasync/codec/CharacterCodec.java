package io.sqliteasync.codec;

/**
 * {@link Character}: stored as TEXT of one character; read from TEXT of exactly one UTF-16 unit. Surrogates are
 * refused: alone they are not text.
 */
final class CharacterCodec implements Codec<Character> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == Character.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == Character.class;
    }

    @Override
    public Object encode(Character value) {
        if (Character.isSurrogate(value)) {
            throw new IllegalArgumentException("char U+" + Integer.toHexString(value) + " is a lone surrogate,"
                    + " which UTF-8 cannot store");
        }
        return value.toString();
    }

    @Override
    public Character decode(Object value, Class<?> type) {
        if (value instanceof String && ((String) value).length() == 1) {
            return ((String) value).charAt(0);
        }
        throw Codecs.wrongStorage(value, "TEXT of exactly one char");
    }
}
