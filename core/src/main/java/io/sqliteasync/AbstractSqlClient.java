package io.sqliteasync;

import io.sqliteasync.internal.worker.ConnectionWorker;
import io.sqliteasync.internal.worker.CursorState;
import io.sqliteasync.internal.worker.Job;
import io.sqliteasync.internal.worker.Session;
import io.sqliteasync.internal.worker.SqliteFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The query surface written once. Each method checks its arguments, builds the job that runs on a worker, and hands
 * it to the subclass's routing: {@link #write} for statements that may change the database, {@link #read} for
 * queries, {@link #cursorWorker()} and {@link #onCursorWorker} for cursors and streams, and {@link #refuse} to turn a
 * call down before anything is queued.
 */
abstract class AbstractSqlClient implements SqlClient {
    static final Object[] NO_ARGS = new Object[0];

    /** What a call does, for {@link #refuse}. */
    enum Kind {
        /** {@code execute}. */
        EXECUTE,
        /** {@code executeMany}. */
        BATCH,
        /** {@code executeScript}. */
        SCRIPT,
        /** {@code fetchAll}, {@code fetchOne}, {@code fetchOptional}. */
        QUERY,
        /** {@code cursor}, {@code stream}. */
        CURSOR;

        boolean writes() {
            return this == EXECUTE || this == BATCH || this == SCRIPT;
        }
    }

    /**
     * Turns a call down before anything is queued: closed, ended, refused statements, misuse. Runs on the caller's
     * thread.
     *
     * @return the error to fail the call with, or {@code null} to go on
     */
    abstract SqliteException refuse(Kind kind, String method, String sql);

    /** Runs a job that may write (execute, executeMany, executeScript). */
    abstract <T> CompletableFuture<T> write(Job<T> job, String sql);

    /** Runs a query job (the fetch methods). */
    abstract <T> CompletableFuture<T> read(Job<T> job, String sql);

    /** The worker that runs a cursor or stream; chosen once per call. */
    abstract ConnectionWorker cursorWorker();

    /** Submits the job that opens a cursor on the worker {@link #cursorWorker()} chose. */
    <T> CompletableFuture<T> onCursorWorker(ConnectionWorker worker, Job<T> job, String sql) {
        return worker.submit(job, sql);
    }

    /** Opens a cursor's statement on the worker. */
    void openCursor(Session session, CursorState state, String sql) {
        session.openCursor(state);
    }

    /**
     * The publisher behind {@link #stream}.
     *
     * @param onOpen runs on the worker when a subscription's query starts, or {@code null}
     */
    Flow.Publisher<Row> publisher(ConnectionWorker worker, String sql, Object[] args, Runnable onOpen) {
        return new io.sqliteasync.internal.worker.RowPublisher(worker, sql, args, worker.options().prefetch(), false,
                onOpen);
    }

    /**
     * The listener told of this client's calls; read once per call, so {@code null} (no listener) costs one check.
     *
     * @return the listener, or {@code null}
     */
    abstract CallListener listener();

    /** The role of the connection a call of this kind is routed to, for {@link CallListener}s. */
    abstract CallEvent.Role role(Kind kind);

    /**
     * Runs a job through {@code route}, reported to {@code l}: submitted now, started when the job begins on the
     * worker, ended just before the caller's future completes.
     */
    private <T> CompletableFuture<T> reported(CallListener l, CallEvent ev, SqliteException refused, Job<T> job,
            String sql, boolean writes) {
        if (refused != null) {
            return Listeners.refused(l, ev, refused);
        }
        Job<T> j = Listeners.started(l, ev, job);
        return Listeners.ending(l, ev, writes ? write(j, sql) : read(j, sql), job);
    }

    /** The job behind {@link #executeScript}; a client that must watch the transaction state wraps it. */
    Job<Void> scriptJob(String sql) {
        return s -> {
            s.executeScript(sql);
            return null;
        };
    }

    @Override
    public CompletableFuture<ExecuteResult> execute(String sql, Object... args) {
        Object[] a = args(sql, args);
        SqliteException refused = refuse(Kind.EXECUTE, "execute", sql);
        CallListener l = listener();
        if (l != null) {
            return reported(l, Listeners.submit(l, CallEvent.Kind.EXECUTE, role(Kind.EXECUTE), sql), refused,
                    s -> s.execute(sql, a), sql, true);
        }
        if (refused != null) {
            return SqliteFuture.failed(refused);
        }
        return write(s -> s.execute(sql, a), sql);
    }

    @Override
    public CompletableFuture<ExecuteResult> executeMany(String sql, Iterable<?> parameterSets) {
        return executeMany(sql, parameterSets, BatchMode.ATOMIC);
    }

    @Override
    public CompletableFuture<ExecuteResult> executeMany(String sql, Iterable<?> parameterSets, BatchMode mode) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(mode, "mode");
        SqliteException refused = refuse(Kind.BATCH, "executeMany", sql);
        CallListener l = listener();
        CallEvent ev = l == null ? null : Listeners.submit(l, CallEvent.Kind.EXECUTE_MANY, role(Kind.BATCH), sql);
        if (refused == null) {
            try {
                List<Object[]> sets = copySets(parameterSets);
                Job<ExecuteResult> job = s -> s.executeMany(sql, sets, mode);
                return l == null ? write(job, sql) : reported(l, ev, null, job, sql, true);
            } catch (SqliteException e) {
                refused = e;
            }
        }
        return l == null ? SqliteFuture.failed(refused) : Listeners.refused(l, ev, refused);
    }

    @Override
    public CompletableFuture<Void> executeScript(String sql) {
        Objects.requireNonNull(sql, "sql");
        SqliteException refused = refuse(Kind.SCRIPT, "executeScript", sql);
        CallListener l = listener();
        if (l != null) {
            return reported(l, Listeners.submit(l, CallEvent.Kind.EXECUTE_SCRIPT, role(Kind.SCRIPT), sql), refused,
                    scriptJob(sql), sql, true);
        }
        if (refused != null) {
            return SqliteFuture.failed(refused);
        }
        return write(scriptJob(sql), sql);
    }

    @Override
    public CompletableFuture<List<Row>> fetchAll(String sql, Object... args) {
        return query("fetchAll", sql, args, Integer.MAX_VALUE, rows -> rows);
    }

    @Override
    public <T> CompletableFuture<List<T>> fetchAll(String sql, Class<T> type, Object... args) {
        return fetchAll(sql, RowMapper.of(Objects.requireNonNull(type, "type")), args);
    }

    @Override
    public <T> CompletableFuture<List<T>> fetchAll(String sql, RowMapper<T> mapper, Object... args) {
        Objects.requireNonNull(mapper, "mapper");
        return query("fetchAll", sql, args, Integer.MAX_VALUE, rows -> mapAll(rows, mapper, sql));
    }

    @Override
    public CompletableFuture<Row> fetchOne(String sql, Object... args) {
        return query("fetchOne", sql, args, 1, rows -> rows.isEmpty() ? null : rows.get(0));
    }

    @Override
    public <T> CompletableFuture<T> fetchOne(String sql, Class<T> type, Object... args) {
        return fetchOne(sql, RowMapper.of(Objects.requireNonNull(type, "type")), args);
    }

    @Override
    public <T> CompletableFuture<T> fetchOne(String sql, RowMapper<T> mapper, Object... args) {
        Objects.requireNonNull(mapper, "mapper");
        return query("fetchOne", sql, args, 1, rows -> rows.isEmpty() ? null : mapAll(rows, mapper, sql).get(0));
    }

    @Override
    public CompletableFuture<Optional<Row>> fetchOptional(String sql, Object... args) {
        return query("fetchOptional", sql, args, 1,
                rows -> rows.isEmpty() ? Optional.<Row>empty() : Optional.of(rows.get(0)));
    }

    @Override
    public <T> CompletableFuture<Optional<T>> fetchOptional(String sql, Class<T> type, Object... args) {
        return fetchOptional(sql, RowMapper.of(Objects.requireNonNull(type, "type")), args);
    }

    @Override
    public <T> CompletableFuture<Optional<T>> fetchOptional(String sql, RowMapper<T> mapper, Object... args) {
        Objects.requireNonNull(mapper, "mapper");
        return query("fetchOptional", sql, args, 1,
                rows -> rows.isEmpty() ? Optional.<T>empty() : Optional.ofNullable(mapAll(rows, mapper, sql).get(0)));
    }

    /** Turns the rows a query read into the call's result, on the worker thread. */
    @FunctionalInterface
    private interface Shape<T> {
        T apply(List<Row> rows);
    }

    private <T> CompletableFuture<T> query(String method, String sql, Object[] args, int limit, Shape<T> shape) {
        Object[] a = args(sql, args);
        SqliteException refused = refuse(Kind.QUERY, method, sql);
        CallListener l = listener();
        if (l != null) {
            CallEvent ev = Listeners.submit(l, CallEvent.Kind.FETCH, role(Kind.QUERY), sql);
            return reported(l, ev, refused, s -> {
                List<Row> rows = s.query(sql, a, limit);
                ev.rows(rows.size());
                return shape.apply(rows);
            }, sql, false);
        }
        if (refused != null) {
            return SqliteFuture.failed(refused);
        }
        return read(s -> shape.apply(s.query(sql, a, limit)), sql);
    }

    @Override
    public CompletableFuture<Cursor> cursor(String sql, Object... args) {
        Object[] a = args(sql, args);
        SqliteException refused = refuse(Kind.CURSOR, "cursor", sql);
        CallListener l = listener();
        if (l != null) {
            CallEvent.Role role = role(Kind.CURSOR);
            CallEvent ev = Listeners.submit(l, CallEvent.Kind.CURSOR, role, sql);
            if (refused != null) {
                return Listeners.refused(l, ev, refused);
            }
            ConnectionWorker w = cursorWorker();
            CursorState state = new CursorState(sql, a);
            Job<Cursor> job = Cursor.opening(w, state, s -> openCursor(s, state, sql), this);
            return Listeners.ending(l, ev, onCursorWorker(w, Listeners.started(l, ev, job), sql), job);
        }
        if (refused != null) {
            return SqliteFuture.failed(refused);
        }
        ConnectionWorker w = cursorWorker();
        CursorState state = new CursorState(sql, a);
        return onCursorWorker(w, Cursor.opening(w, state, s -> openCursor(s, state, sql), this), sql);
    }

    @Override
    public Flow.Publisher<Row> stream(String sql, Object... args) {
        Object[] a = args(sql, args);
        SqliteException refused = refuse(Kind.CURSOR, "stream", sql);
        CallListener l = listener();
        if (refused != null) {
            if (l != null) {
                CallEvent.Role role = role(Kind.CURSOR);
                return subscriber -> {
                    Listeners.end(l, Listeners.submit(l, CallEvent.Kind.STREAM, role, sql), refused);
                    failNow(subscriber, refused);
                };
            }
            return subscriber -> failNow(subscriber, refused);
        }
        ConnectionWorker w = cursorWorker();
        if (l != null) {
            return Listeners.stream(l, role(Kind.CURSOR), sql, onOpen -> publisher(w, sql, a, onOpen));
        }
        return publisher(w, sql, a, null);
    }

    /** Fails a subscriber before any demand (Reactive Streams rules 1.4 and 1.9): onSubscribe, then onError. */
    static void failNow(Flow.Subscriber<?> subscriber, SqliteException error) {
        Objects.requireNonNull(subscriber, "subscriber");
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        subscriber.onError(error);
    }

    static Object[] args(String sql, Object[] args) {
        Objects.requireNonNull(sql, "sql");
        return args == null ? NO_ARGS : args.clone();
    }

    static <T> List<T> mapAll(List<Row> rows, RowMapper<T> mapper, String sql) {
        List<T> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            try {
                out.add(mapper.map(r));
            } catch (IllegalArgumentException e) {
                throw new SqliteException(e.getMessage(), SqliteException.SQLITE_MISMATCH, sql, e);
            }
        }
        return out;
    }

    static List<Object[]> copySets(Iterable<?> parameterSets) {
        Objects.requireNonNull(parameterSets, "parameterSets");
        List<Object[]> sets = new ArrayList<>();
        int i = 0;
        for (Object set : parameterSets) {
            if (set instanceof Object[]) {
                sets.add(((Object[]) set).clone());
            } else if (set instanceof List) {
                sets.add(((List<?>) set).toArray());
            } else if (set instanceof java.util.Map || set instanceof Record) {
                sets.add(new Object[] {set});
            } else {
                throw new SqliteException("parameter set " + i + " is "
                        + (set == null ? "null" : "a " + set.getClass().getName())
                        + "; each set must be an Object[], a List, or a Map or record for named parameters",
                        SqliteException.SQLITE_MISMATCH, null, null);
            }
            i++;
        }
        return sets;
    }
}
