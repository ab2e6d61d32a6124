package io.sqliteasync.codec;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * {@link OffsetDateTime}: by default TEXT {@code YYYY-MM-DD HH:MM:SS.fffffffff+HH:MM}, which SQLite's date
 * functions read (converting to UTC); under a numeric {@link TimeStorage} the instant, read back at offset UTC.
 * Text without an offset is read as UTC. Declared types {@code TIMESTAMPTZ} and {@code DATETIMEOFFSET}.
 *
 * <p>Text with different offsets does not sort chronologically; store instants for ordered columns.
 */
final class OffsetDateTimeCodec implements Codec<OffsetDateTime> {
    private final TimeStorage storage;

    OffsetDateTimeCodec(TimeStorage storage) {
        this.storage = storage;
    }

    @Override
    public boolean canEncode(Class<?> type) {
        return type == OffsetDateTime.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == OffsetDateTime.class;
    }

    @Override
    public Object encode(OffsetDateTime value) {
        if (storage == TimeStorage.ISO_TEXT) {
            return text(value);
        }
        return TimeText.number(value.toInstant(), storage);
    }

    static String text(OffsetDateTime value) {
        StringBuilder sb = new StringBuilder(35).append(TimeText.dateTime(value.toLocalDateTime()));
        return TimeText.appendOffset(sb, value.getOffset()).toString();
    }

    @Override
    public OffsetDateTime decode(Object value, Class<?> type) {
        if (value instanceof String) {
            return TimeText.parse((String) value).offsetDateTime((String) value);
        }
        return TimeText.instant(value, storage).atOffset(ZoneOffset.UTC);
    }

    @Override
    public Set<String> declaredTypes() {
        return Set.of("TIMESTAMPTZ", "DATETIMEOFFSET");
    }

    @Override
    public Class<?> declaredJavaType() {
        return OffsetDateTime.class;
    }
}
