package io.sqliteasync.codec;

import java.util.Arrays;

/** Enums: stored as TEXT of the constant's {@link Enum#name()}; read by exact name. */
@SuppressWarnings({"rawtypes", "unchecked"})
final class EnumCodec implements Codec<Enum> {
    @Override
    public boolean canEncode(Class<?> type) {
        return Enum.class.isAssignableFrom(type);
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type.isEnum();
    }

    @Override
    public Object encode(Enum value) {
        return value.name();
    }

    @Override
    public Enum decode(Object value, Class<?> type) {
        if (value instanceof String) {
            try {
                return Enum.valueOf((Class) type, (String) value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("text '" + Codecs.abbreviate(value) + "' is not a constant of "
                        + type.getName() + "; expected one of " + Arrays.stream((Enum[]) type.getEnumConstants())
                        .map(Enum::name).toList(), e);
            }
        }
        throw Codecs.wrongStorage(value, "TEXT naming a constant of " + type.getName());
    }
}
