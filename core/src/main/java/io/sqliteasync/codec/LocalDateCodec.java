package io.sqliteasync.codec;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * {@link LocalDate}: by default TEXT {@code YYYY-MM-DD}, what {@code date()} writes; under a numeric
 * {@link TimeStorage} the start of the day in UTC. Read from date text, from date-time text (its date, after
 * converting an offset to UTC, as {@code date()} does) or from a number read as UTC. Declared type {@code DATE}.
 */
final class LocalDateCodec implements Codec<LocalDate> {
    private final TimeStorage storage;

    LocalDateCodec(TimeStorage storage) {
        this.storage = storage;
    }

    @Override
    public boolean canEncode(Class<?> type) {
        return type == LocalDate.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == LocalDate.class;
    }

    @Override
    public Object encode(LocalDate value) {
        if (storage == TimeStorage.ISO_TEXT) {
            return TimeText.appendDate(new StringBuilder(10), value).toString();
        }
        return TimeText.number(value.atStartOfDay().toInstant(ZoneOffset.UTC), storage);
    }

    @Override
    public LocalDate decode(Object value, Class<?> type) {
        if (value instanceof String) {
            return TimeText.parse((String) value).utcDateTime((String) value).toLocalDate();
        }
        return LocalDate.ofInstant(TimeText.instant(value, storage), ZoneOffset.UTC);
    }

    @Override
    public Set<String> declaredTypes() {
        return Set.of("DATE");
    }

    @Override
    public Class<?> declaredJavaType() {
        return LocalDate.class;
    }
}
