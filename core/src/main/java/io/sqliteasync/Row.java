package io.sqliteasync;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One result row. Values are read on the worker thread when the row is stepped; afterwards the row is immutable and
 * safe to hand to any thread. Columns are addressed by 0-based index or by name (case-insensitive, like SQLite).
 *
 * <p>Values keep SQLite's storage classes: {@code INTEGER} as {@link Long}, {@code REAL} as {@link Double},
 * {@code TEXT} as {@link String}, {@code BLOB} as {@code byte[]} (a copy is returned), {@code NULL} as {@code null};
 * except that a column whose declared type or name hint is recognised (see {@link RowMetadata}) is decoded to the
 * class it selects, such as {@link java.time.LocalDate} for {@code DATE}. Decoding happens when a value is asked
 * for, not when the row is read. {@link #get(int, Class)} converts to any class the connection's
 * {@link io.sqliteasync.codec.CodecRegistry} decodes to; {@link #as(Class)} maps the row to a record.
 */
public final class Row {
    private final RowMetadata metadata;
    private final Object[] values;

    /**
     * Creates a row. The array is owned by the row from then on.
     *
     * @param metadata the columns
     * @param values one value per column
     */
    public Row(RowMetadata metadata, Object[] values) {
        if (values.length != metadata.columnCount()) {
            throw new IllegalArgumentException(
                    "row has " + values.length + " values for " + metadata.columnCount() + " columns");
        }
        this.metadata = metadata;
        this.values = values;
    }

    /**
     * The columns of this row.
     *
     * @return the shared metadata
     */
    public RowMetadata metadata() {
        return metadata;
    }

    /**
     * The number of columns.
     *
     * @return the column count
     */
    public int size() {
        return values.length;
    }

    /**
     * The value of a column: as stored, or decoded to the class its declared type or name hint selects.
     *
     * @param index 0-based column index
     * @return the value: {@link Long}, {@link Double}, {@link String}, {@code byte[]} (a copy), {@code null}, or an
     *     instance of {@link RowMetadata#javaType(int)} when that is not {@code null}
     * @throws IndexOutOfBoundsException if there is no such column
     * @throws IllegalArgumentException if the declared type asks for a class the value does not convert to (date
     *     text that does not parse, for example); the message names the column, the value and the class
     */
    public Object get(int index) {
        Object v = value(index);
        if (v == null) {
            return null;
        }
        Class<?>[] types = metadata.javaTypes();
        if (types != null && types[index] != null) {
            return decode(index, v, types[index]);
        }
        return v instanceof byte[] ? ((byte[]) v).clone() : v;
    }

    /**
     * The value of a named column, as {@link #get(int)}.
     *
     * @param name the column name, case-insensitive
     * @return the value, as {@link #get(int)}
     * @throws IllegalArgumentException if there is no such column (the message lists the columns), or the value
     *     does not decode
     */
    public Object get(String name) {
        return get(indexOf(name));
    }

    /**
     * The value of a column converted to a class: any class the connection's codecs decode to (numbers and their
     * primitives, {@link Boolean}, {@link String}, {@code byte[]}, {@link java.nio.ByteBuffer},
     * {@link java.math.BigDecimal}, {@link java.math.BigInteger}, {@link java.util.UUID}, enums, {@code java.time}
     * types, user codecs), {@link Number}, {@link Object} (same as {@link #get(int)}) or {@link java.util.Optional}
     * (wrapping {@link #get(int)}; empty for NULL). The declared type does not matter here, only the stored value.
     *
     * @param index 0-based column index
     * @param type the class wanted
     * @param <T> the class wanted
     * @return the converted value, {@code null} for SQL NULL
     * @throws IllegalArgumentException if the value cannot be converted; the message names the column, the value
     *     and the class
     */
    @SuppressWarnings("unchecked")
    public <T> T get(int index, Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (type == Object.class) {
            return (T) get(index);
        }
        if (type == java.util.Optional.class) {
            return (T) java.util.Optional.ofNullable(get(index));
        }
        Object v = value(index);
        if (v == null) {
            return null;
        }
        return (T) decode(index, v, type);
    }

    /**
     * The value of a named column converted to a class, as {@link #get(int, Class)}.
     *
     * @param name the column name, case-insensitive
     * @param type the class wanted
     * @param <T> the class wanted
     * @return the converted value, {@code null} for SQL NULL
     * @throws IllegalArgumentException if there is no such column or the value cannot be converted
     */
    public <T> T get(String name, Class<T> type) {
        return get(indexOf(name), type);
    }

    /**
     * This row as a record: each component takes the column of the same name, matched case-insensitively and with
     * {@code snake_case} columns matching {@code camelCase} components; extra columns are ignored. Components of
     * type {@code Optional<X>} hold {@code Optional.ofNullable(get(column, X))}.
     *
     * @param type a record class
     * @param <T> the record type
     * @return a new record
     * @throws IllegalArgumentException if the class is not a record, a component has no column (the message lists
     *     the columns), a value does not convert, or a primitive component meets NULL
     */
    public <T> T as(Class<T> type) {
        return RecordRowMapper.of(type).map(this);
    }

    /**
     * Whether a column is SQL NULL.
     *
     * @param index 0-based column index
     * @return {@code true} for NULL
     */
    public boolean isNull(int index) {
        return value(index) == null;
    }

    /**
     * Whether a named column is SQL NULL.
     *
     * @param name the column name
     * @return {@code true} for NULL
     */
    public boolean isNull(String name) {
        return isNull(indexOf(name));
    }

    /**
     * A column as {@code long}; NULL reads as 0, like JDBC.
     *
     * @param index 0-based column index
     * @return the value
     */
    public long getLong(int index) {
        Long v = get(index, Long.class);
        return v == null ? 0L : v;
    }

    /**
     * A named column as {@code long}; NULL reads as 0.
     *
     * @param name the column name
     * @return the value
     */
    public long getLong(String name) {
        return getLong(indexOf(name));
    }

    /**
     * A column as {@code int}; NULL reads as 0.
     *
     * @param index 0-based column index
     * @return the value
     * @throws IllegalArgumentException if the value does not fit in an {@code int}
     */
    public int getInt(int index) {
        Integer v = get(index, Integer.class);
        return v == null ? 0 : v;
    }

    /**
     * A named column as {@code int}; NULL reads as 0.
     *
     * @param name the column name
     * @return the value
     */
    public int getInt(String name) {
        return getInt(indexOf(name));
    }

    /**
     * A column as {@code double}; NULL reads as 0.0.
     *
     * @param index 0-based column index
     * @return the value
     */
    public double getDouble(int index) {
        Double v = get(index, Double.class);
        return v == null ? 0.0 : v;
    }

    /**
     * A named column as {@code double}; NULL reads as 0.0.
     *
     * @param name the column name
     * @return the value
     */
    public double getDouble(String name) {
        return getDouble(indexOf(name));
    }

    /**
     * A column as {@code boolean}: non-zero numbers are {@code true}; NULL reads as {@code false}.
     *
     * @param index 0-based column index
     * @return the value
     */
    public boolean getBoolean(int index) {
        Boolean v = get(index, Boolean.class);
        return v != null && v;
    }

    /**
     * A named column as {@code boolean}.
     *
     * @param name the column name
     * @return the value
     */
    public boolean getBoolean(String name) {
        return getBoolean(indexOf(name));
    }

    /**
     * A column as text; numbers are formatted, blobs decoded as UTF-8; NULL is {@code null}.
     *
     * @param index 0-based column index
     * @return the value
     */
    public String getString(int index) {
        return get(index, String.class);
    }

    /**
     * A named column as text.
     *
     * @param name the column name
     * @return the value
     */
    public String getString(String name) {
        return getString(indexOf(name));
    }

    /**
     * A column as bytes (a copy); text is encoded as UTF-8; NULL is {@code null}.
     *
     * @param index 0-based column index
     * @return the value
     */
    public byte[] getBytes(int index) {
        return get(index, byte[].class);
    }

    /**
     * A named column as bytes.
     *
     * @param name the column name
     * @return the value
     */
    public byte[] getBytes(String name) {
        return getBytes(indexOf(name));
    }

    /**
     * The row as an unmodifiable map from column name to value, in column order. With duplicate column names the
     * leftmost value is kept.
     *
     * @return the map; blobs are copies
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>(values.length * 2);
        for (int i = 0; i < values.length; i++) {
            map.putIfAbsent(metadata.columnNames().get(i), get(i));
        }
        return Collections.unmodifiableMap(map);
    }

    private Object value(int index) {
        if (index < 0 || index >= values.length) {
            throw new IndexOutOfBoundsException(
                    "column index " + index + " out of range: the row has " + values.length + " columns "
                            + metadata.columnNames());
        }
        return values[index];
    }

    private int indexOf(String name) {
        Objects.requireNonNull(name, "name");
        int i = metadata.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "no column named '" + name + "'; the row has " + metadata.columnNames());
        }
        return i;
    }

    private Object decode(int index, Object v, Class<?> type) {
        try {
            return metadata.codecs().decode(v, type);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw cannotConvert(index, v, type, e);
        }
    }

    private IllegalArgumentException cannotConvert(int index, Object v, Class<?> type, Throwable cause) {
        String shown = v instanceof byte[] ? "a blob of " + ((byte[]) v).length + " bytes" : "'" + abbreviate(v) + "'";
        String declared = metadata.declaredTypes().get(index);
        return new IllegalArgumentException(
                "column " + index + " ('" + metadata.columnNames().get(index) + "'"
                        + (declared == null ? "" : ", declared " + declared) + ") holds "
                        + v.getClass().getSimpleName() + " " + shown + ", which cannot be converted to "
                        + type.getName() + (cause == null ? "" : ": " + cause.getMessage()), cause);
    }

    private static String abbreviate(Object v) {
        String s = String.valueOf(v);
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row && ((Row) o).metadata.columnNames().equals(metadata.columnNames())
                && Arrays.deepEquals(values, ((Row) o).values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Row{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object v = values[i];
            sb.append(metadata.columnNames().get(i)).append('=')
                    .append(v instanceof byte[] ? "<blob " + ((byte[]) v).length + " bytes>" : abbreviate(v));
        }
        return sb.append('}').toString();
    }
}
