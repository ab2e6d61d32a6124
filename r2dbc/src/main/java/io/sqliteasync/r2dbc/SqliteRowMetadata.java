package io.sqliteasync.r2dbc;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.RowMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The columns of one result, shared by all its rows. Immutable; any thread. Names match case-insensitively, and
 * with duplicate names the leftmost column wins, as in SQLite.
 */
final class SqliteRowMetadata implements RowMetadata {
    private final io.sqliteasync.RowMetadata core;
    private final List<SqliteColumnMetadata> columns;

    SqliteRowMetadata(io.sqliteasync.RowMetadata core) {
        this.core = core;
        List<SqliteColumnMetadata> list = new ArrayList<>(core.columnCount());
        for (int i = 0; i < core.columnCount(); i++) {
            list.add(new SqliteColumnMetadata(core.columnNames().get(i), core.declaredTypes().get(i),
                    core.javaType(i)));
        }
        this.columns = Collections.unmodifiableList(list);
    }

    io.sqliteasync.RowMetadata core() {
        return core;
    }

    SqliteColumnMetadata column(int index) {
        return columns.get(index);
    }

    int indexOf(String name) {
        SqliteConnection.requireArgument(name, "name");
        int i = core.indexOf(name);
        if (i < 0) {
            throw new NoSuchElementException("no column named '" + name + "'; the columns are " + core.columnNames());
        }
        return i;
    }

    /**
     * The metadata of a column by index.
     *
     * @param index 0-based
     * @return the column
     * @throws IndexOutOfBoundsException if there is no such column
     */
    @Override
    public ColumnMetadata getColumnMetadata(int index) {
        Objects.checkIndex(index, columns.size());
        return columns.get(index);
    }

    /**
     * The metadata of a column by name, case-insensitive.
     *
     * @param name the name
     * @return the column
     * @throws NoSuchElementException if there is no such column
     */
    @Override
    public ColumnMetadata getColumnMetadata(String name) {
        return columns.get(indexOf(name));
    }

    /**
     * Every column, in order.
     *
     * @return an unmodifiable list
     */
    @Override
    public List<? extends ColumnMetadata> getColumnMetadatas() {
        return columns;
    }

    /**
     * Whether a column has this name, case-insensitive.
     *
     * @param columnName the name
     * @return {@code true} if some column has it
     */
    @Override
    public boolean contains(String columnName) {
        return core.indexOf(requireName(columnName)) >= 0;
    }

    private static String requireName(String name) {
        SqliteConnection.requireArgument(name, "columnName");
        return name;
    }

    @Override
    public String toString() {
        return "SqliteRowMetadata" + columns;
    }
}
