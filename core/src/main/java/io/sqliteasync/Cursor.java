package io.sqliteasync;

import io.sqliteasync.internal.worker.ConnectionWorker;
import io.sqliteasync.internal.worker.CursorState;
import io.sqliteasync.internal.worker.Job;
import io.sqliteasync.internal.worker.Session;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An open query whose rows are stepped only when fetched. Obtained from {@link AsyncConnection#cursor}.
 *
 * <p>Each fetch is a command in the connection's queue and completes, like every call, on the worker thread (or the
 * completion executor). Once the query is exhausted its statement is reset at once and later fetches return no rows.
 * A cursor left open keeps its statement active, which blocks for example {@code DROP TABLE} on this connection:
 * close it (it is {@link AutoCloseable}) when you stop early. Closing the connection closes its cursors.
 */
public final class Cursor implements AutoCloseable {
    private final ConnectionWorker worker;
    private final CursorState state;
    private final RowMetadata metadata;
    /** The client that opened the cursor, whose listener is told of each fetch. */
    private final AbstractSqlClient client;

    Cursor(ConnectionWorker worker, CursorState state, AbstractSqlClient client) {
        this.worker = worker;
        this.state = state;
        this.metadata = state.metadata();
        this.client = client;
    }

    /** Opens a cursor on the worker. */
    @FunctionalInterface
    interface Open {
        void open(Session session);
    }

    /**
     * The job that opens a cursor. A cursor nobody will receive, because the caller cancelled or its deadline passed
     * while it opened, is closed at once instead of holding its statement and read transaction.
     */
    static Job<Cursor> opening(ConnectionWorker worker, CursorState state, Open open, AbstractSqlClient client) {
        return new Job<>() {
            @Override
            public Cursor run(Session s) {
                open.open(s);
                return new Cursor(worker, state, client);
            }

            @Override
            public void discard(Cursor cursor) {
                cursor.close();
            }
        };
    }

    /**
     * The result columns.
     *
     * @return names and declared types
     */
    public RowMetadata metadata() {
        return metadata;
    }

    /**
     * The column names, in order.
     *
     * @return an immutable list
     */
    public List<String> columnNames() {
        return metadata.columnNames();
    }

    /**
     * The declared types of the columns, {@code null} for expressions.
     *
     * @return an immutable list
     */
    public List<String> declaredTypes() {
        return metadata.declaredTypes();
    }

    /**
     * Steps one row.
     *
     * @return a future completed on the worker with the next row, or {@code null} when the query is exhausted;
     *     failed with {@link SqliteClosedException} after {@link #close()}
     */
    public CompletableFuture<Row> fetchOne() {
        return fetch(1, rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /**
     * Steps up to {@code n} rows.
     *
     * @param n the most rows to return, at least 1
     * @return a future completed on the worker with the rows; fewer than {@code n} (possibly none) once the query
     *     is exhausted
     */
    public CompletableFuture<List<Row>> fetchMany(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("fetchMany needs n >= 1, was " + n);
        }
        return fetch(n, rows -> rows);
    }

    /**
     * Steps every remaining row.
     *
     * @return a future completed on the worker with the remaining rows
     */
    public CompletableFuture<List<Row>> fetchAll() {
        return fetch(Integer.MAX_VALUE, rows -> rows);
    }

    /** One fetch of up to {@code n} rows, reported to the client's listener when there is one. */
    private <T> CompletableFuture<T> fetch(int n, java.util.function.Function<List<Row>, T> shape) {
        CallListener l = client.listener();
        if (l == null) {
            return worker.submit(fetching(s -> shape.apply(s.fetch(state, n).rows())), null);
        }
        CallEvent ev = Listeners.submit(l, CallEvent.Kind.CURSOR_FETCH, client.role(AbstractSqlClient.Kind.CURSOR),
                null);
        Job<T> job = fetching(s -> {
            List<Row> rows = s.fetch(state, n).rows();
            ev.rows(rows.size());
            return shape.apply(rows);
        });
        return Listeners.ending(l, ev, worker.submit(Listeners.started(l, ev, job), null), job);
    }

    /**
     * A fetch whose caller gave up (cancelled, timed out) after the worker had stepped its rows: those rows are gone,
     * so the cursor is closed and a later fetch fails instead of silently continuing after the lost rows.
     */
    private <T> Job<T> fetching(Job<T> fetch) {
        return new Job<>() {
            @Override
            public T run(Session s) throws Exception {
                return fetch.run(s);
            }

            @Override
            public void discard(T rows) {
                closeAsync();
            }
        };
    }

    /**
     * Closes the cursor: resets its statement so that it holds no lock. Idempotent.
     *
     * @return a future completed on the worker once closed
     */
    public CompletableFuture<Void> closeAsync() {
        state.requestClose();
        return worker.submit(s -> {
            s.closeCursor(state);
            return null;
        }, null);
    }

    /**
     * Closes the cursor without waiting: the close is queued, so every command sent afterwards finds the statement
     * reset. Idempotent; does nothing once the connection is closed.
     */
    @Override
    public void close() {
        if (state.released()) {
            // Exhausted or failed: the worker already reset the statement; a later fetch reports the cursor closed.
            state.requestClose();
            return;
        }
        if (!worker.isClosed() || worker.onWorkerThread()) {
            closeAsync();
        }
    }
}
