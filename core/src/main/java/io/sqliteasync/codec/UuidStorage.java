package io.sqliteasync.codec;

/** How the built-in {@link java.util.UUID} codec stores values. Both forms are always accepted on read. */
public enum UuidStorage {
    /** TEXT, 36 lower-case characters: {@code 123e4567-e89b-12d3-a456-426614174000}. */
    TEXT,
    /** BLOB of 16 bytes, most significant first (RFC 4122 byte order). */
    BLOB
}
