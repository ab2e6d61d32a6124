package io.sqliteasync.dqlite;

/**
 * The value types of the dqlite wire protocol, with their codes. Parameters and row values travel tagged with one of
 * these. The Java types they map to are listed on each constant.
 */
public enum DqliteType {
    /** 64-bit signed integer: {@code Long} (parameters also accept {@code Integer}, {@code Short}, {@code Byte}). */
    INTEGER(1),
    /** IEEE 754 double: {@code Double} (parameters also accept {@code Float}). */
    FLOAT(2),
    /** UTF-8 text without NUL characters: {@code String}. */
    TEXT(3),
    /** Bytes: {@code byte[]}. */
    BLOB(4),
    /** SQL NULL: {@code null}. */
    NULL(5),
    /**
     * Seconds since the epoch, in rows only: {@code java.time.Instant}. The server sends it for an integer in a column
     * declared {@code DATETIME}, {@code DATE} or {@code TIMESTAMP}; it refuses it in parameters.
     */
    UNIXTIME(9),
    /**
     * ISO 8601 text: parameters accept {@code java.time.OffsetDateTime} and {@code java.time.Instant} (sent at offset
     * +00:00) and send {@code 2006-01-02 15:04:05.999999999-07:00} as go-dqlite does; rows give the text as a
     * {@code String}. The server sends it for text in a column declared {@code DATETIME}, {@code DATE} or
     * {@code TIMESTAMP}, and sends NULL there as empty ISO 8601 text, which rows report as {@link #NULL}.
     */
    ISO8601(10),
    /** Boolean: {@code Boolean}. The server sends it for a column declared {@code BOOLEAN}. */
    BOOLEAN(11);

    private static final DqliteType[] BY_CODE = new DqliteType[16];

    static {
        for (DqliteType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    DqliteType(int code) {
        this.code = code;
    }

    /**
     * The code of this type on the wire.
     *
     * @return the type code, 1 to 11
     */
    public int code() {
        return code;
    }

    /**
     * The type with the given wire code.
     *
     * @param code a type code
     * @return the type, or {@code null} when no type has this code
     */
    public static DqliteType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
