package io.sqliteasync;

import io.sqliteasync.internal.worker.ConnectionWorker;
import io.sqliteasync.internal.worker.CursorState;
import io.sqliteasync.internal.worker.Job;
import io.sqliteasync.internal.worker.Session;
import io.sqliteasync.internal.worker.SqliteFuture;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One reader leased by {@link Database#read(Function)}: every query made through it sees the same consistent state
 * of the database (one read transaction), whatever the writer commits meanwhile. Valid only until the stage returned
 * by the function completes.
 *
 * <p><b>Threading.</b> Calls go straight to the leased reader's worker thread; futures complete there (or on the
 * completion executor). A call made on that thread runs inline at once. The function runs on the reader thread and
 * must not block there.
 *
 * <p><b>Writes</b> are refused: the reader runs with {@code PRAGMA query_only}, so a write (for example an
 * {@code INSERT ... RETURNING} sent to {@link #fetchAll}) fails with a {@link SqliteException} whose message says to
 * use {@link Database#execute} or {@link Database#transaction(Function)}. A call made after the scope ended fails and
 * runs nothing.
 */
public final class Snapshot {
    private static final Object[] NO_ARGS = new Object[0];

    private final ConnectionWorker worker;
    private final Scope scope;
    private final boolean sharedConnection;

    Snapshot(ConnectionWorker worker, Scope scope, boolean sharedConnection) {
        this.worker = worker;
        this.scope = scope;
        this.sharedConnection = sharedConnection;
    }

    /**
     * Ends the read transaction; on the one shared connection also lifts {@code query_only} again. Runs without a
     * deadline, like {@link Transaction}'s end, so that an expired caller deadline cannot skip it.
     */
    CompletableFuture<Void> end(boolean commit) {
        return worker.submit(s -> {
            scope.end();
            try {
                scope.closeCursors(s);
                s.commit();
            } finally {
                if (sharedConnection) {
                    s.executeScript("PRAGMA query_only = 0");
                }
            }
            return null;
        }, "COMMIT", null, 0);
    }

    /**
     * Whether the snapshot can still be used.
     *
     * @return {@code false} once the read scope ended
     */
    public boolean isActive() {
        return scope.isActive();
    }

    /**
     * Runs a query in the snapshot.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return a future completed on the reader thread with every row
     */
    public CompletableFuture<List<Row>> fetchAll(String sql, Object... args) {
        Object[] a = args(sql, args);
        return submit(s -> s.query(sql, a, Integer.MAX_VALUE), sql);
    }

    /**
     * Runs a query in the snapshot and returns its first row.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return a future completed on the reader thread with the first row, or {@code null}
     */
    public CompletableFuture<Row> fetchOne(String sql, Object... args) {
        Object[] a = args(sql, args);
        return submit(s -> {
            List<Row> rows = s.query(sql, a, 1);
            return rows.isEmpty() ? null : rows.get(0);
        }, sql);
    }

    /**
     * Runs a query in the snapshot and returns its first row, if any.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return a future completed on the reader thread with the first row or an empty optional
     */
    public CompletableFuture<Optional<Row>> fetchOptional(String sql, Object... args) {
        return fetchOne(sql, args).thenApply(Optional::ofNullable);
    }

    /**
     * Starts a query in the snapshot and returns a cursor over its rows. Exhaust or close it before the scope ends;
     * the end of the scope closes it, and later fetches fail.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return a future completed on the reader thread with the cursor
     */
    public CompletableFuture<Cursor> cursor(String sql, Object... args) {
        Object[] a = args(sql, args);
        CursorState state = new CursorState(sql, a);
        return submit(Cursor.opening(worker, state, s -> {
            scope.track(state);
            s.openCursor(state);
        }), sql);
    }

    private <T> CompletableFuture<T> submit(Job<T> job, String sql) {
        if (!scope.isActive()) {
            return SqliteFuture.failed(scope.ended(sql));
        }
        return scope.track(worker.submit(new Job<T>() {
            @Override
            public T run(Session s) {
                scope.check(sql);
                try {
                    return job.run(s);
                } catch (Exception e) {
                    throw Database.readerError(e, sql);
                }
            }

            @Override
            public void discard(T result) {
                job.discard(result);
            }
        }, sql, () -> !scope.isActive()));
    }

    private static Object[] args(String sql, Object[] args) {
        Objects.requireNonNull(sql, "sql");
        return args == null ? NO_ARGS : args.clone();
    }

    @Override
    public String toString() {
        return "Snapshot[" + (isActive() ? "active]" : "ended]");
    }
}
