package io.sqliteasync;

import java.util.List;

/**
 * The blocking view of a {@link Cursor}: each fetch waits for its command on the worker. Safe on virtual threads,
 * like {@link BlockingConnection}.
 */
public final class BlockingCursor implements AutoCloseable {
    private final Cursor cursor;

    BlockingCursor(Cursor cursor) {
        this.cursor = cursor;
    }

    /**
     * The asynchronous cursor behind this view.
     *
     * @return the cursor
     */
    public Cursor async() {
        return cursor;
    }

    /**
     * The result columns.
     *
     * @return names and declared types
     */
    public RowMetadata metadata() {
        return cursor.metadata();
    }

    /**
     * The column names.
     *
     * @return an immutable list
     */
    public List<String> columnNames() {
        return cursor.columnNames();
    }

    /**
     * The declared types, {@code null} for expressions.
     *
     * @return an immutable list
     */
    public List<String> declaredTypes() {
        return cursor.declaredTypes();
    }

    /**
     * Steps one row.
     *
     * @return the next row, or {@code null} when the query is exhausted
     */
    public Row fetchOne() {
        return BlockingConnection.await(cursor.fetchOne());
    }

    /**
     * Steps up to {@code n} rows.
     *
     * @param n at least 1
     * @return the rows; fewer than {@code n} once exhausted
     */
    public List<Row> fetchMany(int n) {
        return BlockingConnection.await(cursor.fetchMany(n));
    }

    /**
     * Steps every remaining row.
     *
     * @return the rows
     */
    public List<Row> fetchAll() {
        return BlockingConnection.await(cursor.fetchAll());
    }

    /** Closes the cursor; the close is queued before any later command. Idempotent. */
    @Override
    public void close() {
        cursor.close();
    }
}
