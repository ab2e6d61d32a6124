package io.sqliteasync.dqlite;

import java.util.Arrays;
import java.util.List;

/**
 * The rows of one rows response. A result set arrives as one or more batches (the server fills each to about one
 * page); {@link #isLast()} tells whether more follow. Each value carries its own type, as in SQLite, so two rows may
 * differ in the type of one column.
 */
public final class DqliteRowBatch {
    private final List<String> columns;
    private final int size;
    private final Object[] values;
    private final byte[] types;
    private final boolean last;

    DqliteRowBatch(List<String> columns, int size, Object[] values, byte[] types, boolean last) {
        this.columns = columns;
        this.size = size;
        this.values = values;
        this.types = types;
        this.last = last;
    }

    /**
     * The column names, as the server reports them (aliases where the query gives them).
     *
     * @return the names, unmodifiable
     */
    public List<String> columns() {
        return columns;
    }

    /**
     * The number of rows in this batch; may be 0.
     *
     * @return the row count
     */
    public int size() {
        return size;
    }

    /**
     * Whether this is the last batch of the result set.
     *
     * @return true when the server marked the result set done
     */
    public boolean isLast() {
        return last;
    }

    /**
     * One value: {@code Long}, {@code Double}, {@code String}, {@code byte[]}, {@code null}, {@code Instant}
     * (unixtime), {@code String} (ISO 8601) or {@code Boolean}, by {@link #type(int, int)}.
     *
     * @param row the row index in this batch, from 0
     * @param column the column index, from 0
     * @return the value
     * @throws IndexOutOfBoundsException when either index is out of range
     */
    public Object value(int row, int column) {
        return values[index(row, column)];
    }

    /**
     * The wire type of one value.
     *
     * @param row the row index in this batch, from 0
     * @param column the column index, from 0
     * @return the type
     * @throws IndexOutOfBoundsException when either index is out of range
     */
    public DqliteType type(int row, int column) {
        return DqliteType.ofCode(types[index(row, column)]);
    }

    /**
     * One row's values, copied.
     *
     * @param row the row index in this batch, from 0
     * @return the values, one per column
     * @throws IndexOutOfBoundsException when the index is out of range
     */
    public Object[] row(int row) {
        int from = index(row, 0);
        return Arrays.copyOfRange(values, from, from + columns.size());
    }

    private int index(int row, int column) {
        if (row < 0 || row >= size || column < 0 || column >= columns.size()) {
            throw new IndexOutOfBoundsException("row " + row + " of " + size + ", column " + column + " of "
                    + columns.size());
        }
        return row * columns.size() + column;
    }
}
