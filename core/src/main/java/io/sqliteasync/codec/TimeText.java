package io.sqliteasync.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads and writes the time-value text of SQLite's date and time functions (https://www.sqlite.org/lang_datefunc.html)
 * and converts between instants and unix or julian-day numbers. Shared by the {@code java.time} codecs.
 */
final class TimeText {
    /** The julian day of 1970-01-01T00:00Z. */
    private static final double UNIX_EPOCH_JULIAN_DAY = 2440587.5;
    private static final double MILLIS_PER_DAY = 86_400_000.0;

    private TimeText() {
    }

    /** A parsed time value: date, time or both, and an offset when the text had one. */
    record Parsed(LocalDate date, LocalTime time, ZoneOffset offset) {
        /** The value as UTC date-time: no offset means UTC (SQLite's convention), no time means midnight. */
        LocalDateTime utcDateTime(String text) {
            if (date == null) {
                throw notA(text, "date-time");
            }
            LocalDateTime local = LocalDateTime.of(date, time == null ? LocalTime.MIDNIGHT : time);
            return offset == null ? local : local.minusSeconds(offset.getTotalSeconds());
        }

        OffsetDateTime offsetDateTime(String text) {
            if (date == null) {
                throw notA(text, "date-time");
            }
            return OffsetDateTime.of(date, time == null ? LocalTime.MIDNIGHT : time,
                    offset == null ? ZoneOffset.UTC : offset);
        }
    }

    /**
     * Parses {@code YYYY-MM-DD}, {@code YYYY-MM-DD HH:MM[:SS[.fraction]]} (a {@code T} instead of the space is fine),
     * or {@code HH:MM[:SS[.fraction]]}, each optionally followed by {@code Z} or {@code [+-]HH:MM}.
     */
    static Parsed parse(String text) {
        String s = text.trim();
        try {
            LocalDate date = null;
            int i = 0;
            if (s.length() >= 10 && s.charAt(4) == '-') {
                date = LocalDate.parse(s.substring(0, 10));
                i = 10;
                if (i < s.length() && (s.charAt(i) == 'T' || s.charAt(i) == 't' || s.charAt(i) == ' ')) {
                    i++;
                }
            }
            int end = i;
            while (end < s.length() && "Zz+- ".indexOf(s.charAt(end)) < 0) {
                end++;
            }
            LocalTime time = null;
            if (end > i) {
                String t = s.substring(i, end);
                int dot = t.indexOf('.');
                if (dot >= 0 && t.length() - dot - 1 > 9) {
                    // SQLite reads any number of fraction digits; java.time takes nine.
                    t = t.substring(0, dot + 10);
                }
                if (t.startsWith("24:")) {
                    // SQLite reads (and datetime() even writes back) hour 24 when the rest is zero: the next midnight.
                    time = LocalTime.parse("00" + t.substring(2));
                    if (!time.equals(LocalTime.MIDNIGHT)) {
                        throw new DateTimeException("hour 24 is only midnight");
                    }
                    date = date == null ? null : date.plusDays(1);
                } else {
                    time = LocalTime.parse(t);
                }
            }
            String rest = s.substring(end).trim();
            ZoneOffset offset = null;
            if (!rest.isEmpty()) {
                offset = rest.equalsIgnoreCase("z") ? ZoneOffset.UTC : ZoneOffset.of(rest);
            }
            if (date == null && time == null) {
                throw notA(text, "date or time");
            }
            return new Parsed(date, time, offset);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(describe(text) + " is not a date or time as SQLite writes them"
                    + " (YYYY-MM-DD, YYYY-MM-DD HH:MM:SS.SSS, HH:MM:SS, optionally with Z or +HH:MM)", e);
        }
    }

    static IllegalArgumentException notA(String text, String what) {
        return new IllegalArgumentException(describe(text) + " is not a " + what
                + " (expected YYYY-MM-DD HH:MM:SS.SSS, optionally with Z or +HH:MM)");
    }

    private static String describe(String text) {
        return "text '" + Codecs.abbreviate(text) + "'";
    }

    /** {@code YYYY-MM-DD}; years outside 0000-9999 are refused because SQLite's date functions cannot read them. */
    static StringBuilder appendDate(StringBuilder sb, LocalDate d) {
        int y = d.getYear();
        if (y < 0 || y > 9999) {
            throw new IllegalArgumentException("year " + y + " is outside 0000-9999, the range of SQLite's date"
                    + " functions");
        }
        pad(sb, y, 4).append('-');
        pad(sb, d.getMonthValue(), 2).append('-');
        return pad(sb, d.getDayOfMonth(), 2);
    }

    /** {@code HH:MM:SS} plus as many fraction digits as needed (none for whole seconds, up to nine). */
    static StringBuilder appendTime(StringBuilder sb, LocalTime t) {
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2);
        int nanos = t.getNano();
        if (nanos != 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            sb.append('.');
            pad(sb, nanos, digits);
        }
        return sb;
    }

    /** {@code +HH:MM}, and {@code +HH:MM:SS} for the rare historic offsets with seconds. */
    static StringBuilder appendOffset(StringBuilder sb, ZoneOffset o) {
        return sb.append(o.getTotalSeconds() == 0 ? "+00:00" : o.getId());
    }

    static String dateTime(LocalDateTime dt) {
        StringBuilder sb = new StringBuilder(29);
        appendDate(sb, dt.toLocalDate()).append(' ');
        return appendTime(sb, dt.toLocalTime()).toString();
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    /** An instant as a number in the given storage; not for {@link TimeStorage#ISO_TEXT}. */
    static Object number(Instant i, TimeStorage storage) {
        try {
            switch (storage) {
                case UNIX_SECONDS:
                    return i.getEpochSecond();
                case UNIX_MILLIS:
                    return i.toEpochMilli();
                case JULIAN_DAY:
                    return UNIX_EPOCH_JULIAN_DAY + i.toEpochMilli() / MILLIS_PER_DAY;
                default:
                    throw new IllegalStateException(storage.name());
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(i + " is out of range for " + storage, e);
        }
    }

    /**
     * An instant from a number: INTEGER is unix seconds (milliseconds under {@link TimeStorage#UNIX_MILLIS}); REAL is
     * a julian day, or fractional unix seconds or milliseconds under those storages.
     */
    static Instant instant(Object v, TimeStorage storage) {
        try {
            if (v instanceof Long) {
                long l = (Long) v;
                if (storage == TimeStorage.JULIAN_DAY) {
                    // A whole julian day (noon UTC) stored in a column with NUMERIC affinity (DATE, DATETIME,
                    // TIMESTAMP...) comes back as INTEGER: under this storage it is still a julian day.
                    long millis = Math.multiplyExact(Math.subtractExact(l, 2440588L), 86_400_000L);
                    return Instant.ofEpochMilli(Math.addExact(millis, 43_200_000L));
                }
                return storage == TimeStorage.UNIX_MILLIS ? Instant.ofEpochMilli(l) : Instant.ofEpochSecond(l);
            }
            if (v instanceof Double) {
                double d = (Double) v;
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("REAL " + d + " is not a point in time");
                }
                if (storage == TimeStorage.UNIX_SECONDS) {
                    return Instant.ofEpochMilli(Math.round(d * 1000.0));
                }
                if (storage == TimeStorage.UNIX_MILLIS) {
                    return Instant.ofEpochMilli(Math.round(d));
                }
                return Instant.ofEpochMilli(Math.round((d - UNIX_EPOCH_JULIAN_DAY) * MILLIS_PER_DAY));
            }
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException(Codecs.describe(v) + " is out of range for a point in time", e);
        }
        throw Codecs.wrongStorage(v, "TEXT (ISO-8601), INTEGER (unix time) or REAL (julian day)");
    }
}
