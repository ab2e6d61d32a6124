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
 * {@code TEXT} as {@link String}, {@code BLOB} as {@code byte[]} (a copy is returned), {@code NULL} as {@code null}.
 * The typed getters convert between them where the conversion is lossless or customary (text to number is parsed).
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
     * The value of a column as stored.
     *
     * @param index 0-based column index
     * @return the value: {@link Long}, {@link Double}, {@link String}, {@code byte[]} (a copy) or {@code null}
     * @throws IndexOutOfBoundsException if there is no such column
     */
    public Object get(int index) {
        Object v = value(index);
        return v instanceof byte[] ? ((byte[]) v).clone() : v;
    }

    /**
     * The value of a named column as stored.
     *
     * @param name the column name, case-insensitive
     * @return the value, as {@link #get(int)}
     * @throws IllegalArgumentException if there is no such column; the message lists the columns
     */
    public Object get(String name) {
        return get(indexOf(name));
    }

    /**
     * The value of a column converted to a class: {@link Long}, {@link Integer}, {@link Short}, {@link Byte},
     * {@link Double}, {@link Float}, {@link Boolean}, {@link String}, {@code byte[]}, {@link Number} or {@link Object}.
     *
     * @param index 0-based column index
     * @param type the class wanted
     * @param <T> the class wanted
     * @return the converted value, {@code null} for SQL NULL
     * @throws IllegalArgumentException if the value cannot be converted; the message names the column and types
     */
    public <T> T get(int index, Class<T> type) {
        Objects.requireNonNull(type, "type");
        Object v = value(index);
        if (v == null) {
            return null;
        }
        Object converted = convert(index, v, type);
        @SuppressWarnings("unchecked")
        T t = (T) (type.isPrimitive() ? converted : type.cast(converted));
        return t;
    }

    /**
     * The value of a named column converted to a class, as {@link #get(int, Class)}.
     *
     * @param name the column name, case-insensitive
     * @param type the class wanted
     * @param <T> the class wanted
     * @return the converted value, {@code null} for SQL NULL
     */
    public <T> T get(String name, Class<T> type) {
        return get(indexOf(name), type);
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

    private Object convert(int index, Object v, Class<?> type) {
        Class<?> t = type.isPrimitive() ? boxed(type) : type;
        if (t == Object.class) {
            return v instanceof byte[] ? ((byte[]) v).clone() : v;
        }
        if (t.isInstance(v)) {
            return v instanceof byte[] ? ((byte[]) v).clone() : v;
        }
        try {
            if (t == String.class) {
                if (v instanceof byte[]) {
                    return new String((byte[]) v, java.nio.charset.StandardCharsets.UTF_8);
                }
                return v.toString();
            }
            if (t == byte[].class && v instanceof String) {
                return ((String) v).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            if (t == Boolean.class) {
                if (v instanceof Number) {
                    return ((Number) v).doubleValue() != 0.0;
                }
                if (v instanceof String) {
                    String s = ((String) v).trim();
                    if (s.equalsIgnoreCase("true")) {
                        return true;
                    }
                    if (s.equalsIgnoreCase("false")) {
                        return false;
                    }
                    return Double.parseDouble(s) != 0.0;
                }
            }
            if (Number.class.isAssignableFrom(t) && (v instanceof Number || v instanceof String)) {
                return toNumber(v, t);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw cannotConvert(index, v, type, e);
        }
        throw cannotConvert(index, v, type, null);
    }

    private static Object toNumber(Object v, Class<?> t) {
        if (v instanceof String) {
            String s = ((String) v).trim();
            if (t == Double.class || t == Float.class) {
                double d = Double.parseDouble(s);
                return t == Double.class ? (Object) d : (Object) (float) d;
            }
            v = new java.math.BigDecimal(s);
        }
        Number n = (Number) v;
        if (t == Long.class || t == Number.class) {
            if (n instanceof Double) {
                double d = n.doubleValue();
                if (d != Math.rint(d) || d < -0x1p63 || d >= 0x1p63) {
                    throw new ArithmeticException("not an integer: " + d);
                }
                return (long) d;
            }
            return n instanceof java.math.BigDecimal ? ((java.math.BigDecimal) n).longValueExact() : n.longValue();
        }
        if (t == Integer.class) {
            return Math.toIntExact((Long) toNumber(n, Long.class));
        }
        if (t == Short.class) {
            long l = (Long) toNumber(n, Long.class);
            if (l != (short) l) {
                throw new ArithmeticException("short overflow: " + l);
            }
            return (short) l;
        }
        if (t == Byte.class) {
            long l = (Long) toNumber(n, Long.class);
            if (l != (byte) l) {
                throw new ArithmeticException("byte overflow: " + l);
            }
            return (byte) l;
        }
        if (t == Double.class) {
            return n.doubleValue();
        }
        if (t == Float.class) {
            return n.floatValue();
        }
        throw new ArithmeticException("unsupported number class " + t.getName());
    }

    private IllegalArgumentException cannotConvert(int index, Object v, Class<?> type, Throwable cause) {
        String shown = v instanceof byte[] ? "a blob of " + ((byte[]) v).length + " bytes" : "'" + abbreviate(v) + "'";
        return new IllegalArgumentException(
                "column " + index + " ('" + metadata.columnNames().get(index) + "') holds " + v.getClass().getSimpleName()
                        + " " + shown + ", which cannot be converted to " + type.getName(), cause);
    }

    private static String abbreviate(Object v) {
        String s = String.valueOf(v);
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static Class<?> boxed(Class<?> p) {
        if (p == long.class) {
            return Long.class;
        }
        if (p == int.class) {
            return Integer.class;
        }
        if (p == double.class) {
            return Double.class;
        }
        if (p == boolean.class) {
            return Boolean.class;
        }
        if (p == float.class) {
            return Float.class;
        }
        if (p == short.class) {
            return Short.class;
        }
        if (p == byte.class) {
            return Byte.class;
        }
        return p;
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
