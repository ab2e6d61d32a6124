package io.sqliteasync;

import io.sqliteasync.codec.CodecRegistry;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The columns of a query result: names as SQLite reports them and declared types. Immutable and shared by every
 * {@link Row} of one result, so safe to use from any thread.
 *
 * <p><b>Type detection.</b> Like Python's {@code detect_types}, a column's declared type ({@code DATE},
 * {@code TIMESTAMP}, {@code BOOLEAN}, {@code UUID}, {@code DECIMAL}, ...) or a type hint in its name selects the
 * Java class {@link Row#get(int)} returns: {@code SELECT max(ts) AS "last [timestamp]"} names the column
 * {@code last} and reads it as {@link java.time.LocalDateTime}. A hint wins over the declared type. The
 * {@link CodecRegistry} decides which types are recognised; other columns keep their storage class.
 */
public final class RowMetadata {
    private final List<String> names;
    private final List<String> declaredTypes;
    private final Map<String, Integer> indexByName;
    private final CodecRegistry codecs;
    /** The class each column decodes to, or {@code null} to keep the storage class; {@code null} when none does. */
    private final Class<?>[] javaTypes;
    /** Per record class, the column of each component; filled by any thread that maps rows. */
    private final Map<Class<?>, int[]> recordColumns = new ConcurrentHashMap<>();

    /**
     * Creates the metadata, decoding with {@link CodecRegistry#defaults()}.
     *
     * @param names the column names, in order; a {@code [type]} suffix is taken as a type hint and removed
     * @param declaredTypes the declared type of each column ({@code sqlite3_column_decltype}), {@code null} entries
     *     for expressions
     */
    public RowMetadata(String[] names, String[] declaredTypes) {
        this(names, declaredTypes, CodecRegistry.defaults());
    }

    /**
     * Creates the metadata.
     *
     * @param names the column names, in order; a {@code [type]} suffix is taken as a type hint and removed
     * @param declaredTypes the declared type of each column ({@code sqlite3_column_decltype}), {@code null} entries
     *     for expressions
     * @param codecs the registry that decodes the values of rows with these columns
     */
    public RowMetadata(String[] names, String[] declaredTypes, CodecRegistry codecs) {
        if (names.length != declaredTypes.length) {
            throw new IllegalArgumentException("names and declared types differ in length");
        }
        this.codecs = java.util.Objects.requireNonNull(codecs, "codecs");
        String[] plain = names.clone();
        Class<?>[] types = new Class<?>[names.length];
        boolean any = false;
        for (int i = 0; i < names.length; i++) {
            String hint = null;
            String n = names[i];
            int open = n.indexOf('[');
            if (open > 0 && n.endsWith("]") && !n.substring(0, open).isBlank()) {
                hint = n.substring(open + 1, n.length() - 1);
                plain[i] = n.substring(0, open).strip();
            }
            types[i] = codecs.javaTypeFor(hint != null ? hint : declaredTypes[i]);
            any |= types[i] != null;
        }
        this.javaTypes = any ? types : null;
        names = plain;
        this.names = List.of(names);
        this.declaredTypes = Collections.unmodifiableList(Arrays.asList(declaredTypes.clone()));
        Map<String, Integer> index = new HashMap<>(names.length * 2);
        // SQLite resolves duplicate names to the leftmost column; so do we.
        for (int i = names.length - 1; i >= 0; i--) {
            index.put(names[i].toLowerCase(Locale.ROOT), i);
        }
        this.indexByName = index;
    }

    /**
     * The number of columns.
     *
     * @return the column count
     */
    public int columnCount() {
        return names.size();
    }

    /**
     * The column names, in order.
     *
     * @return an immutable list
     */
    public List<String> columnNames() {
        return names;
    }

    /**
     * The declared types, in order: the type written in the table definition for a table column, {@code null} for
     * an expression.
     *
     * @return an immutable list that may hold {@code null}s
     */
    public List<String> declaredTypes() {
        return declaredTypes;
    }

    /**
     * The registry that decodes values of these columns.
     *
     * @return the registry
     */
    public CodecRegistry codecs() {
        return codecs;
    }

    /**
     * The class {@link Row#get(int)} returns for non-null values of a column, when its declared type or a hint in
     * its name selects one.
     *
     * @param index 0-based column index
     * @return the class, or {@code null} when values keep their storage class
     * @throws IndexOutOfBoundsException if there is no such column
     */
    public Class<?> javaType(int index) {
        java.util.Objects.checkIndex(index, names.size());
        return javaTypes == null ? null : javaTypes[index];
    }

    /** The decode class per column, or {@code null} when no column has one: the hot path checks this once. */
    Class<?>[] javaTypes() {
        return javaTypes;
    }

    Map<Class<?>, int[]> recordColumns() {
        return recordColumns;
    }

    /**
     * The index of a column, matched case-insensitively like SQLite does; the leftmost of duplicate names wins.
     *
     * @param name the column name
     * @return the 0-based index, or {@code -1} if no column has that name
     */
    public int indexOf(String name) {
        Integer i = indexByName.get(name);
        if (i == null) {
            i = indexByName.get(name.toLowerCase(Locale.ROOT));
        }
        return i == null ? -1 : i;
    }

    @Override
    public String toString() {
        return "RowMetadata" + names;
    }
}
