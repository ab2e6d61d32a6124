package io.sqliteasync.codec;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * {@link Instant}: by default TEXT in UTC without a suffix, {@code YYYY-MM-DD HH:MM:SS.fffffffff}, exactly what
 * {@code datetime('now')} and {@code CURRENT_TIMESTAMP} write (so text comparison with them works); or a number per
 * {@link TimeStorage}. Text with an offset or {@code Z} is read at that offset, text without one as UTC.
 */
final class InstantCodec implements Codec<Instant> {
    private final TimeStorage storage;

    InstantCodec(TimeStorage storage) {
        this.storage = storage;
    }

    @Override
    public boolean canEncode(Class<?> type) {
        return type == Instant.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == Instant.class;
    }

    @Override
    public Object encode(Instant value) {
        if (storage == TimeStorage.ISO_TEXT) {
            if (value.isBefore(MIN) || value.isAfter(MAX)) {
                throw new IllegalArgumentException(value + " is outside years 0000-9999, the range of SQLite's date"
                        + " functions");
            }
            return TimeText.dateTime(LocalDateTime.ofInstant(value, ZoneOffset.UTC));
        }
        return TimeText.number(value, storage);
    }

    private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    @Override
    public Instant decode(Object value, Class<?> type) {
        if (value instanceof String) {
            return TimeText.parse((String) value).utcDateTime((String) value).toInstant(ZoneOffset.UTC);
        }
        return TimeText.instant(value, storage);
    }

    @Override
    public Set<String> declaredTypes() {
        return Set.of("INSTANT");
    }

    @Override
    public Class<?> declaredJavaType() {
        return Instant.class;
    }
}
