package io.sqliteasync.codec;

import java.time.LocalTime;
import java.util.Set;

/**
 * {@link LocalTime}: always TEXT {@code HH:MM:SS.fffffffff}, what {@code time()} writes, whatever the
 * {@link TimeStorage} (a time of day has no epoch). Read from time text, or the time part of date-time text (after
 * converting an offset to UTC, as {@code time()} does). Declared type {@code TIME}.
 */
final class LocalTimeCodec implements Codec<LocalTime> {
    @Override
    public boolean canEncode(Class<?> type) {
        return type == LocalTime.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == LocalTime.class;
    }

    @Override
    public Object encode(LocalTime value) {
        return TimeText.appendTime(new StringBuilder(18), value).toString();
    }

    @Override
    public LocalTime decode(Object value, Class<?> type) {
        if (!(value instanceof String)) {
            throw Codecs.wrongStorage(value, "TEXT HH:MM:SS");
        }
        String s = (String) value;
        TimeText.Parsed p = TimeText.parse(s);
        if (p.date() != null) {
            return p.utcDateTime(s).toLocalTime();
        }
        return p.offset() == null ? p.time() : p.time().minusSeconds(p.offset().getTotalSeconds());
    }

    @Override
    public Set<String> declaredTypes() {
        return Set.of("TIME");
    }

    @Override
    public Class<?> declaredJavaType() {
        return LocalTime.class;
    }
}
