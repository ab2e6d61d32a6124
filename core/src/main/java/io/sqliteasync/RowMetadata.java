package io.sqliteasync;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns of a query result: names as SQLite reports them and declared types. Immutable and shared by every
 * {@link Row} of one result, so safe to use from any thread.
 */
public final class RowMetadata {
    private final List<String> names;
    private final List<String> declaredTypes;
    private final Map<String, Integer> indexByName;

    /**
     * Creates the metadata.
     *
     * @param names the column names, in order
     * @param declaredTypes the declared type of each column ({@code sqlite3_column_decltype}), {@code null} entries
     *     for expressions
     */
    public RowMetadata(String[] names, String[] declaredTypes) {
        if (names.length != declaredTypes.length) {
            throw new IllegalArgumentException("names and declared types differ in length");
        }
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
