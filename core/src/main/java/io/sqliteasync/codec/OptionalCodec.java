package io.sqliteasync.codec;

import java.util.Optional;

/**
 * {@link Optional}: an empty optional is stored as NULL, a present one as its content (which the registry encodes
 * in turn). Decoding wraps the value as stored; NULL decodes to {@link Optional#empty()} (the registry handles
 * that, since codecs never see NULL), and {@code Row} wraps the value its declared type selects.
 */
@SuppressWarnings("rawtypes")
final class OptionalCodec implements Codec<Optional> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == Optional.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == Optional.class;
    }

    @Override
    public Object encode(Optional value) {
        return value.orElse(null);
    }

    @Override
    public Optional decode(Object value, Class<?> type) {
        return Optional.of(value);
    }
}
