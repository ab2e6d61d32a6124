package io.sqliteasync.r2dbc;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Nullability;
import io.r2dbc.spi.Type;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * One result column: its name, its declared type as the native type, and the Java type that {@code Row.get(i)}
 * returns for it. Immutable; any thread.
 *
 * <p>The Java type comes first from the connection's codecs (a declared type such as {@code DATE},
 * {@code TIMESTAMP}, {@code BOOLEAN}, {@code UUID} or {@code DECIMAL}, or a {@code "name [type]"} hint), then from
 * the declared type's name: {@code INT}, {@code INTEGER}, {@code MEDIUMINT}, {@code SMALLINT}, {@code TINYINT},
 * {@code INT2}, {@code INT4} read as {@link Integer}; {@code BIGINT}, {@code INT8}, {@code UNSIGNED BIG INT} as
 * {@link Long}; text types ({@code TEXT}, {@code CLOB}, {@code VARCHAR(n)}, ...) as {@link String}; {@code BLOB}
 * as {@link ByteBuffer}; {@code REAL}, {@code DOUBLE}, {@code FLOAT} as {@link Double}; other declared types
 * ({@code NUMERIC} unless a codec claims it) keep the storage class. SQLite stores 64-bit integers in every integer column, so an {@code INTEGER} value beyond
 * the {@code int} range reads as {@link Long} (ask for {@code Long.class} to be sure). An expression has no
 * declared type; its values keep their storage class ({@link Long}, {@link Double}, {@link String},
 * {@link ByteBuffer}) and its Java type is {@link Object}.
 */
final class SqliteColumnMetadata implements ColumnMetadata {
    private final String name;
    private final String declaredType;
    private final Class<?> javaType;
    private final SqliteType type;
    private final Integer precision;
    private final Integer scale;

    SqliteColumnMetadata(String name, String declaredType, Class<?> codecType) {
        this.name = name;
        this.declaredType = declaredType;
        this.javaType = codecType != null ? codecType : byDeclaredType(declaredType);
        this.type = new SqliteType(declaredType == null ? "" : declaredType, javaType);
        Integer p = null;
        Integer s = null;
        if (declaredType != null) {
            int open = declaredType.indexOf('(');
            int close = declaredType.indexOf(')', open + 1);
            if (open > 0 && close > open) {
                String[] ps = declaredType.substring(open + 1, close).split(",");
                try {
                    p = Integer.valueOf(ps[0].strip());
                    s = ps.length > 1 ? Integer.valueOf(ps[1].strip()) : null;
                } catch (NumberFormatException e) {
                    p = null;
                    s = null;
                }
            }
        }
        this.precision = p;
        this.scale = s;
    }

    /** SQLite's affinity rules (https://sqlite.org/datatype3.html#determination_of_column_affinity), refined. */
    static Class<?> byDeclaredType(String declared) {
        if (declared == null || declared.isBlank()) {
            return Object.class;
        }
        String t = declared.strip().toUpperCase(Locale.ROOT);
        int paren = t.indexOf('(');
        String base = (paren < 0 ? t : t.substring(0, paren)).strip();
        switch (base) {
            case "INT":
            case "INTEGER":
            case "MEDIUMINT":
            case "SMALLINT":
            case "TINYINT":
            case "INT2":
            case "INT4":
                return Integer.class;
            case "BIGINT":
            case "INT8":
            case "UNSIGNED BIG INT":
                return Long.class;
            default:
                break;
        }
        if (t.contains("INT")) {
            return Long.class;
        }
        if (t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT")) {
            return String.class;
        }
        if (t.contains("BLOB")) {
            return ByteBuffer.class;
        }
        if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB")) {
            return Double.class;
        }
        return Object.class;
    }

    /**
     * The Java class chosen for this column.
     *
     * @return never {@code null}; {@link Object} when values keep their storage class
     */
    @Override
    public Class<?> getJavaType() {
        return javaType;
    }

    /**
     * The column name as SQLite reports it (an alias when given).
     *
     * @return the name
     */
    @Override
    public String getName() {
        return name;
    }

    /**
     * The declared type: the text of the column definition, empty for an expression.
     *
     * @return the type
     */
    @Override
    public Type getType() {
        return type;
    }

    /**
     * The declared type text.
     *
     * @return the declared type, or {@code null} for an expression
     */
    @Override
    public Object getNativeTypeMetadata() {
        return declaredType;
    }

    /**
     * SQLite does not report nullability through sqlite-jdbc's result metadata.
     *
     * @return {@link Nullability#UNKNOWN}
     */
    @Override
    public Nullability getNullability() {
        return Nullability.UNKNOWN;
    }

    /**
     * The first number of a declared type such as {@code VARCHAR(100)} or {@code DECIMAL(10,2)}; SQLite does not
     * enforce it.
     *
     * @return the number, or {@code null}
     */
    @Override
    public Integer getPrecision() {
        return precision;
    }

    /**
     * The second number of a declared type such as {@code DECIMAL(10,2)}.
     *
     * @return the number, or {@code null}
     */
    @Override
    public Integer getScale() {
        return scale;
    }

    @Override
    public String toString() {
        return name + " " + type.getName() + " -> " + javaType.getSimpleName();
    }

    /** A declared type as an R2DBC {@link Type}. */
    record SqliteType(String name, Class<?> javaType) implements Type {
        @Override
        public Class<?> getJavaType() {
            return javaType;
        }

        @Override
        public String getName() {
            return name;
        }
    }
}
