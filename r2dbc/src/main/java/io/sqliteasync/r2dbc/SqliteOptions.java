package io.sqliteasync.r2dbc;

import io.r2dbc.spi.Option;
import io.sqliteasync.TransactionMode;
import io.sqliteasync.codec.CodecRegistry;
import java.time.Duration;
import java.util.Map;

/**
 * The driver's own {@link Option}s, next to the standard {@code DATABASE}, {@code STATEMENT_TIMEOUT} and
 * {@code LOCK_WAIT_TIMEOUT}. In a URL they are query parameters ({@code ?readers=4&busyTimeout=PT2S}); given
 * programmatically they may also take their typed values. Constants only; any thread.
 */
public final class SqliteOptions {
    /** Reader connections in WAL mode (an integer, default: the number of processors, at least 2). */
    public static final Option<Integer> READERS = Option.valueOf("readers");
    /**
     * How long SQLite waits for a lock held by another process ({@link Duration}, an ISO-8601 duration such as
     * {@code PT2S}, or milliseconds; default 5 s).
     */
    public static final Option<Duration> BUSY_TIMEOUT = Option.valueOf("busyTimeout");
    /** How long a statement may wait for the writer or a reader before failing (as {@link #BUSY_TIMEOUT}). */
    public static final Option<Duration> ACQUIRE_TIMEOUT = Option.valueOf("acquireTimeout");
    /**
     * How long a transaction may stay open before it is rolled back (as {@link #BUSY_TIMEOUT}; default 60 s). It
     * holds the single writer all that time.
     */
    public static final Option<Duration> TRANSACTION_TIMEOUT = Option.valueOf("transactionTimeout");
    /** Rows stepped per round trip when a statement sets no fetch size (an integer, default 64). */
    public static final Option<Integer> PREFETCH = Option.valueOf("prefetch");
    /**
     * Pragmas set on every connection: a {@code Map<String, String>}, or text {@code name=value;name=value}
     * ({@code ?pragmas=cache_size=-4000;mmap_size=268435456} in a URL).
     */
    public static final Option<Object> PRAGMAS = Option.valueOf("pragmas");
    /** {@code PRAGMA synchronous} ({@code OFF}, {@code NORMAL}, {@code FULL}, {@code EXTRA}; default NORMAL). */
    public static final Option<String> SYNCHRONOUS = Option.valueOf("synchronous");
    /** The codecs that encode parameters and decode columns (a {@link CodecRegistry}; programmatic only). */
    public static final Option<CodecRegistry> CODECS = Option.valueOf("codecs");
    /**
     * How read-write transactions begin ({@link TransactionMode} or its name; default {@code IMMEDIATE}). Also
     * honoured as an attribute of a {@link io.r2dbc.spi.TransactionDefinition}.
     */
    public static final Option<Object> TRANSACTION_MODE = Option.valueOf("transactionMode");

    private SqliteOptions() {
    }

    static Duration duration(Object value, String name) {
        if (value == null) {
            return null;
        }
        if (value instanceof Duration) {
            return (Duration) value;
        }
        if (value instanceof Number) {
            return Duration.ofMillis(((Number) value).longValue());
        }
        String s = value.toString().strip();
        try {
            return s.startsWith("P") || s.startsWith("p") ? Duration.parse(s) : Duration.ofMillis(Long.parseLong(s));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("option " + name + " needs a duration (PT2S or milliseconds), was '"
                    + s + "'", e);
        }
    }

    static Integer integer(Object value, String name) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number) {
            return ((Number) value).intValue();
        }
        try {
            return Integer.valueOf(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + name + " needs an integer, was '" + value + "'", e);
        }
    }

    static TransactionMode transactionMode(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof TransactionMode) {
            return (TransactionMode) value;
        }
        try {
            return TransactionMode.valueOf(value.toString().strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option transactionMode needs DEFERRED, IMMEDIATE or EXCLUSIVE, was '"
                    + value + "'", e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> pragmas(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map) {
            return (Map<String, String>) value;
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String item : value.toString().split("[;,]")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("option pragmas needs name=value;name=value, was '" + value + "'");
            }
            out.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
        }
        return out;
    }
}
