package io.sqliteasync.dqlite;

import java.util.ArrayList;
import java.util.List;

/**
 * The result set of a query, read batch by batch from the connection that ran it. The first batch arrives with the
 * query's response; {@link #nextBatch()} reads each further one. The server pushes batches without being asked, so
 * a reader that stops reading holds the server back through TCP flow control only.
 *
 * <p>While a result set is open its connection takes no other request. {@link #close()} ends it early: it sends an
 * interrupt and discards the rows still on their way (see {@link DqliteProtocolConnection#interrupt(int)}). Not
 * thread-safe: use it from the thread that uses its connection.
 */
public final class DqliteRows implements AutoCloseable {
    private final DqliteProtocolConnection connection;
    private final int db;
    private final String sql;
    private final List<String> columns;
    private DqliteRowBatch pending;
    private boolean complete;
    private boolean closed;

    DqliteRows(DqliteProtocolConnection connection, int db, String sql, DqliteRowBatch first) {
        this.connection = connection;
        this.db = db;
        this.sql = sql;
        this.columns = first.columns();
        this.pending = first;
        this.complete = first.isLast();
    }

    /**
     * The column names.
     *
     * @return the names, unmodifiable
     */
    public List<String> columns() {
        return columns;
    }

    /**
     * The next batch of rows: the first call returns the batch that came with the query's response, later calls
     * read the next response from the connection (bounded by the read timeout).
     *
     * @return the next batch, or {@code null} when the result set has been read to its end or closed
     * @throws DqliteFailureException when the server failed while producing rows (the result set is then over)
     * @throws DqliteConnectionLostException when the connection broke before the batch was complete
     */
    public DqliteRowBatch nextBatch() {
        if (pending != null) {
            DqliteRowBatch batch = pending;
            pending = null;
            return batch;
        }
        if (complete || closed) {
            return null;
        }
        try {
            DqliteRowBatch batch = connection.readRowBatch(sql);
            complete = batch.isLast();
            return batch;
        } catch (RuntimeException e) {
            complete = true;
            throw e;
        } finally {
            if (complete) {
                connection.rowsEnded(this);
            }
        }
    }

    /**
     * Reads every remaining row.
     *
     * @return the rows, each an array with one value per column
     * @throws DqliteException as {@link #nextBatch()} does
     */
    public List<Object[]> readAll() {
        List<Object[]> rows = new ArrayList<>();
        for (DqliteRowBatch batch = nextBatch(); batch != null; batch = nextBatch()) {
            for (int i = 0; i < batch.size(); i++) {
                rows.add(batch.row(i));
            }
        }
        return rows;
    }

    /**
     * Whether the server has sent the last batch (or the result set failed or was closed).
     *
     * @return true when no more rows will arrive
     */
    public boolean isComplete() {
        return complete || closed;
    }

    /**
     * Ends the result set. When rows are still on their way, sends an interrupt and discards them until the server
     * confirms; when that takes longer than the interrupt timeout the connection is closed. Idempotent.
     *
     * @throws DqliteConnectionLostException when the connection broke or had to be closed to stop the query
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pending = null;
        if (!complete) {
            complete = true;
            connection.interruptRows(this, db, sql);
        }
    }

    int db() {
        return db;
    }
}
