package io.sqliteasync.codec;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.UUID;

/**
 * {@link UUID}: stored as 36-character lower-case TEXT or, with {@link UuidStorage#BLOB}, as 16 bytes (most
 * significant first). Read from either form whatever the setting.
 */
final class UuidCodec implements Codec<UUID> {
    private final UuidStorage storage;

    UuidCodec(UuidStorage storage) {
        this.storage = storage;
    }

    @Override
    public boolean canEncode(Class<?> type) {
        return type == UUID.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == UUID.class;
    }

    @Override
    public Object encode(UUID value) {
        if (storage == UuidStorage.BLOB) {
            return ByteBuffer.allocate(16).putLong(value.getMostSignificantBits())
                    .putLong(value.getLeastSignificantBits()).array();
        }
        return value.toString();
    }

    @Override
    public UUID decode(Object value, Class<?> type) {
        if (value instanceof byte[] && ((byte[]) value).length == 16) {
            ByteBuffer b = ByteBuffer.wrap((byte[]) value);
            return new UUID(b.getLong(), b.getLong());
        }
        if (value instanceof String) {
            String s = ((String) value).trim();
            // UUID.fromString accepts short groups such as "1-2-3-4-5"; only the canonical form is a UUID here.
            if (s.length() == 36) {
                try {
                    return UUID.fromString(s);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("text '" + Codecs.abbreviate(s) + "' is not a UUID", e);
                }
            }
            throw new IllegalArgumentException("text '" + Codecs.abbreviate(s) + "' is not a UUID");
        }
        throw Codecs.wrongStorage(value, "TEXT of 36 characters or a BLOB of 16 bytes");
    }

    @Override
    public Set<String> declaredTypes() {
        return Set.of("UUID", "GUID");
    }

    @Override
    public Class<?> declaredJavaType() {
        return UUID.class;
    }
}
