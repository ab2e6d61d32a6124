package io.sqliteasync.codec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * {@link Duration}: by default ISO-8601 TEXT ({@code PT1H30M}, {@link Duration#toString()}); under
 * {@link TimeStorage#UNIX_SECONDS} INTEGER seconds, {@link TimeStorage#UNIX_MILLIS} INTEGER milliseconds (finer parts
 * dropped, floor), {@link TimeStorage#JULIAN_DAY} REAL days (precise to the millisecond). Read from ISO text, an
 * INTEGER in the storage's unit (seconds unless milliseconds), or a REAL (days under julian day, else seconds).
 * Declared types {@code DURATION} and {@code INTERVAL}.
 */
final class DurationCodec implements Codec<Duration> {
    private static final double MILLIS_PER_DAY = 86_400_000.0;
    private final TimeStorage storage;

    DurationCodec(TimeStorage storage) {
        this.storage = storage;
    }

    @Override
    public boolean canEncode(Class<?> type) {
        return type == Duration.class;
    }

    @Override
    public boolean canDecode(Class<?> type) {
        return type == Duration.class;
    }

    @Override
    public Object encode(Duration value) {
        try {
            switch (storage) {
                case UNIX_SECONDS:
                    return value.getSeconds();
                case UNIX_MILLIS:
                    return floorMillis(value);
                case JULIAN_DAY:
                    return floorMillis(value) / MILLIS_PER_DAY;
                default:
                    return value.toString();
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(value + " is out of range for " + storage, e);
        }
    }

    /** Whole milliseconds, rounded down like the seconds of {@link Duration#getSeconds()} ({@code toMillis} truncates). */
    private static long floorMillis(Duration d) {
        return Math.addExact(Math.multiplyExact(d.getSeconds(), 1000L), d.getNano() / 1_000_000);
    }

    @Override
    public Duration decode(Object value, Class<?> type) {
        try {
            if (value instanceof String) {
                return Duration.parse(((String) value).trim());
            }
            if (value instanceof Long) {
                long l = (Long) value;
                if (storage == TimeStorage.JULIAN_DAY) {
                    // Whole days stored as REAL come back as INTEGER from a column with NUMERIC affinity.
                    return Duration.ofDays(l);
                }
                return storage == TimeStorage.UNIX_MILLIS ? Duration.ofMillis(l) : Duration.ofSeconds(l);
            }
            if (value instanceof Double) {
                double d = (Double) value;
                double millis = storage == TimeStorage.JULIAN_DAY ? d * MILLIS_PER_DAY
                        : storage == TimeStorage.UNIX_MILLIS ? d : d * 1000.0;
                if (Double.isNaN(millis) || Math.abs(millis) > 0x1p62) {
                    throw new IllegalArgumentException("REAL " + d + " is out of range for a duration");
                }
                return Duration.ofMillis(Math.round(millis));
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(Codecs.describe(value) + " is not an ISO-8601 duration such as"
                    + " PT1H30M", e);
        }
        throw Codecs.wrongStorage(value, "TEXT (ISO-8601 duration), INTEGER or REAL");
    }

    @Override
    public Set<String> declaredTypes() {
        return Set.of("DURATION", "INTERVAL");
    }

    @Override
    public Class<?> declaredJavaType() {
        return java.time.Duration.class;
    }
}
