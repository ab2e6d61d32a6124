package io.sqliteasync.codec;

/**
 * How the built-in {@code java.time} codecs store dates and times. Decoding does not depend on this setting for
 * TEXT (always ISO-8601) but does for numbers: see each constant.
 */
public enum TimeStorage {
    /**
     * ISO-8601 text in the form SQLite's date functions read and write: {@code 2024-05-01},
     * {@code 2024-05-01 13:45:30.123456789}, {@code 13:45:30}, with a {@code +02:00} offset for offset and zoned
     * values. Instants are written in UTC without a suffix, like {@code datetime('now')}; nanoseconds are kept.
     * On read, an INTEGER is unix seconds and a REAL a julian day.
     */
    ISO_TEXT,
    /** INTEGER seconds since 1970-01-01T00:00Z; fractions of a second are dropped (floor), like {@code unixepoch()}. */
    UNIX_SECONDS,
    /** INTEGER milliseconds since 1970-01-01T00:00Z; finer fractions are dropped (floor). */
    UNIX_MILLIS,
    /** REAL julian day number, like {@code julianday()}; precise to the millisecond. */
    JULIAN_DAY
}
