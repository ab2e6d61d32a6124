package io.sqliteasync.codec;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * {@link LocalDateTime}: by default TEXT {@code YYYY-MM-DD HH:MM:SS.fffffffff} as written, no zone implied; under a
 * numeric {@link TimeStorage} the value is taken as UTC. Read from that text (a {@code T} separator, missing
 * seconds or a date alone are fine; text with an offset is converted to UTC, as SQLite's {@code datetime()} does)
 * or from a number read as UTC. Declared types {@code DATETIME} and {@code TIMESTAMP} read as this type.
 */
final class LocalDateTimeCodec implements Codec<LocalDateTime> {
    private final TimeStorage storage;

    LocalDateTimeCodec(TimeStorage storage) {
        this.storage = storage;
    }

    @Override
    public boolean canEncode(Class<?> type) {
        return type == LocalDateTime.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == LocalDateTime.class;
    }

    @Override
    public Object encode(LocalDateTime value) {
        if (storage == TimeStorage.ISO_TEXT) {
            return TimeText.dateTime(value);
        }
        return TimeText.number(value.toInstant(ZoneOffset.UTC), storage);
    }

    @Override
    public LocalDateTime decode(Object value, Class<?> type) {
        if (value instanceof String) {
            return TimeText.parse((String) value).utcDateTime((String) value);
        }
        return LocalDateTime.ofInstant(TimeText.instant(value, storage), ZoneOffset.UTC);
    }

    @Override
    public Set<String> declaredTypes() {
        return Set.of("DATETIME", "TIMESTAMP");
    }

    @Override
    public Class<?> declaredJavaType() {
        return LocalDateTime.class;
    }
}
