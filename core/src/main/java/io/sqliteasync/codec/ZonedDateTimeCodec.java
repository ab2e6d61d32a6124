package io.sqliteasync.codec;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * {@link ZonedDateTime}: stored like {@link java.time.OffsetDateTime}, as text with the offset in force
 * ({@code 2024-03-31 03:00:00+02:00}), because SQLite's date functions cannot read a region id such as
 * {@code [Europe/Paris]}. The instant and the offset survive; the region does not: values read back have a
 * {@link ZoneOffset} as their zone. Store the region in a column of its own when it matters.
 */
final class ZonedDateTimeCodec implements Codec<ZonedDateTime> {
    private final OffsetDateTimeCodec offsets;

    ZonedDateTimeCodec(TimeStorage storage) {
        this.offsets = new OffsetDateTimeCodec(storage);
    }

    @Override
    public boolean canEncode(Class<?> type) {
        return type == ZonedDateTime.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == ZonedDateTime.class;
    }

    @Override
    public Object encode(ZonedDateTime value) {
        return offsets.encode(value.toOffsetDateTime());
    }

    @Override
    public ZonedDateTime decode(Object value, Class<?> type) {
        return offsets.decode(value, type).toZonedDateTime();
    }
}
