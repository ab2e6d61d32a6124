package io.sqliteasync.r2dbc;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * One row, fully read: its values live in memory, so any thread may read it at any time, also after the
 * connection has moved on. See {@link SqliteColumnMetadata} for the class {@link #get(int)} returns; a
 * {@code DATETIME}/{@code TIMESTAMP} value whose text carries an offset comes back as {@link OffsetDateTime}
 * rather than a {@link LocalDateTime} that would drop it.
 */
final class SqliteRow implements Row {
    private final io.sqliteasync.Row row;
    private final SqliteRowMetadata metadata;

    SqliteRow(io.sqliteasync.Row row, SqliteRowMetadata metadata) {
        this.row = row;
        this.metadata = metadata;
    }

    /**
     * The columns of this row.
     *
     * @return the metadata shared by the rows of one result
     */
    @Override
    public RowMetadata getMetadata() {
        return metadata;
    }

    /**
     * A value converted to a class: anything the codecs decode to, {@link ByteBuffer}, {@link Blob}, {@link Clob},
     * or {@link Object} for the column's default class.
     *
     * @param index 0-based
     * @param type the class wanted
     * @return the value, {@code null} for SQL NULL
     * @throws IndexOutOfBoundsException if there is no such column
     * @throws IllegalArgumentException if the value does not convert to {@code type}
     */
    @Override
    public <T> T get(int index, Class<T> type) {
        SqliteConnection.requireArgument(type, "type");
        Objects.checkIndex(index, metadata.getColumnMetadatas().size());
        if (row.isNull(index)) {
            return null;
        }
        if (type == Object.class) {
            return type.cast(byDefault(index));
        }
        if (type == Blob.class) {
            byte[] bytes = row.getBytes(index);
            return type.cast(Blob.from(Mono.fromSupplier(() -> ByteBuffer.wrap(bytes))));
        }
        if (type == Clob.class) {
            String s = row.getString(index);
            return type.cast(Clob.from(Mono.just(s)));
        }
        if (type == ByteBuffer.class) {
            return type.cast(ByteBuffer.wrap(row.getBytes(index)));
        }
        return row.get(index, type);
    }

    /**
     * A value by column name, case-insensitive; see {@link #get(int, Class)}.
     *
     * @param name the column name
     * @param type the class wanted
     * @return the value, {@code null} for SQL NULL
     * @throws java.util.NoSuchElementException if there is no such column
     * @throws IllegalArgumentException if {@code name} or {@code type} is {@code null}
     */
    @Override
    public <T> T get(String name, Class<T> type) {
        SqliteConnection.requireArgument(type, "type");
        return get(metadata.indexOf(name), type);
    }

    private Object byDefault(int index) {
        Class<?> codec = metadata.core().javaType(index);
        if (codec != null) {
            Object v = row.get(index);
            if (v instanceof LocalDateTime && hasOffset(row.getString(index))) {
                // Text written from an OffsetDateTime or ZonedDateTime into a DATETIME/TIMESTAMP column: a
                // LocalDateTime would drop the offset the text carries, so the value keeps it.
                return row.get(index, OffsetDateTime.class);
            }
            return v;
        }
        Object v = row.get(index);
        Class<?> wanted = metadata.column(index).getJavaType();
        if (v instanceof byte[]) {
            return wanted == String.class ? row.getString(index) : ByteBuffer.wrap((byte[]) v);
        }
        if (wanted == Integer.class && v instanceof Long) {
            long l = (Long) v;
            return l == (int) l ? (Object) (int) l : v;
        }
        if (wanted == Double.class && v instanceof Long) {
            return ((Long) v).doubleValue();
        }
        if (wanted == String.class && v instanceof Number) {
            return row.getString(index);
        }
        // SQLite's flexible typing: a value whose storage class does not fit the declared type keeps its own.
        return v;
    }

    /** Whether date-time text ends in {@code Z} or {@code +HH:MM}/{@code -HH:MM} after its date part. */
    static boolean hasOffset(String text) {
        String t = text.strip();
        if (t.length() <= 10) {
            return false;
        }
        char last = t.charAt(t.length() - 1);
        return last == 'Z' || last == 'z' || t.indexOf('+', 10) > 0 || t.indexOf('-', 10) > 0;
    }

    @Override
    public String toString() {
        return "SqliteRow" + row.toMap();
    }
}
