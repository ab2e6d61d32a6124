package io.sqliteasync;

import io.sqliteasync.internal.worker.ConnectionWorker;
import io.sqliteasync.internal.worker.CursorState;
import io.sqliteasync.internal.worker.RowPublisher;
import io.sqliteasync.internal.worker.SqliteFuture;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * One SQLite connection driven from any thread without blocking it.
 *
 * <p><b>Threading.</b> The connection is owned by one platform worker thread (a daemon named
 * {@code sqlite-async-connection-<n>} unless {@link ConnectionOptions#workerThreadName()} says otherwise). Every
 * method returns at once: the call becomes a command in the connection's FIFO queue and the returned future
 * completes when the worker has run it. Calls from many threads run one at a time, each thread's calls in the order
 * it made them.
 *
 * <p><b>Completion.</b> Futures complete on the worker thread unless {@link ConnectionOptions#completionExecutor()}
 * is set, in which case they complete on that executor. Stages attached with non-async methods
 * ({@code thenApply}, {@code thenCompose}, ...) run where the future completes, so by default on the worker: they
 * must not block. A call made from the worker thread itself, for example from such a stage or inside
 * {@link #run(SqlFunction)}, runs inline at once instead of queueing, so a continuation that calls its own connection
 * never deadlocks. A caller that waits with {@code join()} or {@code get()} spins for a few microseconds before
 * parking, which makes short round trips cheap.
 *
 * <p><b>Cancellation and deadlines.</b> Cancelling a future whose command has not started yet means it never runs;
 * cancelling one whose command is running stops SQLite within a few milliseconds (the progress handler checks every
 * {@link ConnectionOptions#progressSteps()} VM steps whether the future is still wanted); SQLite rolls back an
 * explicit transaction whose write was stopped this way, while a stopped read leaves the transaction open. {@code orTimeout(...)} on a returned future works the same way, and
 * {@link Deadline#within} sets a deadline for every call made inside it, failing them with
 * {@link SqliteTimeoutException}. The connection stays usable either way.
 *
 * <p><b>Context.</b> Thread locals registered with {@link ContextPropagation} (and Micrometer context-propagation
 * snapshots, when that library is present) are captured when a call is made and installed on the worker while it
 * runs.
 *
 * <p><b>Failure.</b> Futures fail with {@link SqliteException} (or a subclass): wrong SQL, a wrong number of
 * parameters or an unsupported parameter type is reported before anything runs, and the connection stays usable.
 * After {@link #close()} every call fails with {@link SqliteClosedException}. No future is left incomplete: if the
 * worker thread dies, every queued and later call fails with one {@link SqliteClosedException} naming the cause.
 *
 * <p><b>Transactions.</b> The connection is in SQLite's autocommit mode: each statement outside an explicit
 * {@code BEGIN} commits on its own. Open a transaction with {@code execute("BEGIN IMMEDIATE")} and end it with
 * {@link #commit()} or {@link #rollback()}.
 */
public final class AsyncConnection implements AutoCloseable {
    private static final Object[] NO_ARGS = new Object[0];

    private final ConnectionWorker worker;
    private final BlockingConnection blocking;

    private AsyncConnection(ConnectionWorker worker) {
        this.worker = worker;
        this.blocking = new BlockingConnection(this);
    }

    /**
     * Opens a connection with default options.
     *
     * @param path a file path, {@code ":memory:"} or a {@code file:} URI such as {@code file:app.db?mode=ro}
     * @return a future that completes with the open connection on its worker thread, or fails with a
     *     {@link SqliteException} naming the file and the reason (missing, not a database, read-only, ...)
     */
    public static CompletableFuture<AsyncConnection> open(String path) {
        return open(ConnectionOptions.of(path));
    }

    /**
     * Opens a connection. The worker thread starts at once and opens the database itself, then runs the pragmas of
     * the options in order.
     *
     * @param options the settings
     * @return a future that completes with the open connection, on the worker thread or the completion executor, or
     *     fails with a {@link SqliteException}; a failed open leaves no thread behind
     */
    public static CompletableFuture<AsyncConnection> open(ConnectionOptions options) {
        Objects.requireNonNull(options, "options");
        return ConnectionWorker.start(options).thenApply(AsyncConnection::new);
    }

    /**
     * The settings this connection was opened with.
     *
     * @return the options
     */
    public ConnectionOptions options() {
        return worker.options();
    }

    /**
     * Runs one SQL statement, such as an INSERT, UPDATE, DELETE or DDL. Any rows it returns are discarded.
     *
     * @param sql one statement, with {@code ?}/{@code ?NNN} placeholders or {@code :name}, {@code @name},
     *     {@code $name} parameters
     * @param args one value per placeholder, of any class the connection's {@link io.sqliteasync.codec.CodecRegistry}
     *     encodes (numbers, {@link Boolean} as 1/0, text, {@code byte[]}, {@link java.math.BigDecimal},
     *     {@link java.util.UUID}, enums, {@code java.time}, {@link Optional}, ...); or, for named parameters, one
     *     {@link java.util.Map}, record or bean whose entries or properties supply them. A value the codecs refuse
     *     (an unsupported class, NaN), a named parameter without a value, or a map key that matches no parameter
     *     fails the call with a {@link SqliteException} naming the parameter, before anything runs
     * @return a future completed on the worker with the rows changed and the last insert rowid
     */
    public CompletableFuture<ExecuteResult> execute(String sql, Object... args) {
        Object[] a = args(sql, args);
        return worker.submit(s -> s.execute(sql, a), sql);
    }

    /**
     * Runs one statement once for each parameter set, as one command, atomically: the sets run inside a savepoint
     * (which opens a transaction when none is open), so a failing set leaves nothing applied.
     *
     * @param sql one statement, with {@code ?} placeholders
     * @param parameterSets the sets, each an {@code Object[]} or a {@link List}; copied when the call is made
     * @return a future completed on the worker with the total rows changed and the last insert rowid; it fails
     *     naming the set when a set has the wrong number or type of values
     */
    public CompletableFuture<ExecuteResult> executeMany(String sql, Iterable<?> parameterSets) {
        return executeMany(sql, parameterSets, BatchMode.ATOMIC);
    }

    /**
     * Runs one statement once for each parameter set, as one command.
     *
     * @param sql one statement, with {@code ?} placeholders
     * @param parameterSets the sets, each an {@code Object[]} or a {@link List}; copied when the call is made
     * @param mode {@link BatchMode#ATOMIC} (all or nothing) or {@link BatchMode#AUTOCOMMIT} (each set on its own)
     * @return a future completed on the worker with the total rows changed and the last insert rowid; a statement
     *     that returns rows (a query, or {@code RETURNING}) fails it before any set runs
     */
    public CompletableFuture<ExecuteResult> executeMany(String sql, Iterable<?> parameterSets, BatchMode mode) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(mode, "mode");
        List<Object[]> sets;
        try {
            sets = copySets(parameterSets);
        } catch (SqliteException e) {
            return SqliteFuture.failed(e);
        }
        return worker.submit(s -> s.executeMany(sql, sets, mode), sql);
    }

    /**
     * Runs a script of any number of statements separated by semicolons, without parameters.
     *
     * @param sql the script
     * @return a future completed on the worker once every statement ran; on failure the statements before the
     *     failing one stay applied (wrap the script in BEGIN/COMMIT for all or nothing)
     */
    public CompletableFuture<Void> executeScript(String sql) {
        Objects.requireNonNull(sql, "sql");
        return worker.submit(s -> {
            s.executeScript(sql);
            return null;
        }, sql);
    }

    /**
     * Runs a query and returns all its rows.
     *
     * @param sql one query, with {@code ?} placeholders
     * @param args one value per placeholder
     * @return a future completed on the worker with every row, in order
     */
    public CompletableFuture<List<Row>> fetchAll(String sql, Object... args) {
        Object[] a = args(sql, args);
        return worker.submit(s -> s.query(sql, a, Integer.MAX_VALUE), sql);
    }

    /**
     * Runs a query and maps every row to a class: a record by column name (see {@link Row#as(Class)}), any other
     * class from the row's only column (see {@link RowMapper#of(Class)}).
     *
     * @param sql one query, with {@code ?} placeholders or named parameters
     * @param type the class of each result
     * @param args one value per placeholder, or one {@link java.util.Map}, record or bean for named parameters
     * @param <T> the class of each result
     * @return a future completed on the worker with the mapped rows, in order; it fails with
     *     {@link SqliteException} (result code {@code SQLITE_MISMATCH}) when a row does not map
     */
    public <T> CompletableFuture<List<T>> fetchAll(String sql, Class<T> type, Object... args) {
        return fetchAll(sql, RowMapper.of(Objects.requireNonNull(type, "type")), args);
    }

    /**
     * Runs a query and maps every row with a mapper, on the worker thread as rows are read.
     *
     * @param sql one query, with {@code ?} placeholders or named parameters
     * @param mapper the mapper; it must not block
     * @param args one value per placeholder, or one {@link java.util.Map}, record or bean for named parameters
     * @param <T> the class of each result
     * @return a future completed on the worker with the mapped rows, in order; it fails with
     *     {@link SqliteException} (result code {@code SQLITE_MISMATCH}) when the mapper throws an
     *     {@link IllegalArgumentException}, or with what else it throws, mapped to {@link SqliteException}
     */
    public <T> CompletableFuture<List<T>> fetchAll(String sql, RowMapper<T> mapper, Object... args) {
        Objects.requireNonNull(mapper, "mapper");
        Object[] a = args(sql, args);
        return worker.submit(s -> mapAll(s.query(sql, a, Integer.MAX_VALUE), mapper, sql), sql);
    }

    /**
     * Runs a query and maps its first row to a class, as {@link #fetchAll(String, Class, Object...)}.
     *
     * @param sql one query
     * @param type the class of the result
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of the result
     * @return a future completed on the worker with the mapped first row, or with {@code null} when there is none
     */
    public <T> CompletableFuture<T> fetchOne(String sql, Class<T> type, Object... args) {
        RowMapper<T> mapper = RowMapper.of(Objects.requireNonNull(type, "type"));
        Object[] a = args(sql, args);
        return worker.submit(s -> {
            List<T> rows = mapAll(s.query(sql, a, 1), mapper, sql);
            return rows.isEmpty() ? null : rows.get(0);
        }, sql);
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

    /**
     * Runs a query and returns its first row; the rest are not stepped.
     *
     * @param sql one query, with {@code ?} placeholders
     * @param args one value per placeholder
     * @return a future completed on the worker with the first row, or with {@code null} when there is none
     */
    public CompletableFuture<Row> fetchOne(String sql, Object... args) {
        Object[] a = args(sql, args);
        return worker.submit(s -> {
            List<Row> rows = s.query(sql, a, 1);
            return rows.isEmpty() ? null : rows.get(0);
        }, sql);
    }

    /**
     * Runs a query and returns its first row, if any.
     *
     * @param sql one query, with {@code ?} placeholders
     * @param args one value per placeholder
     * @return a future completed on the worker with the first row, or an empty optional
     */
    public CompletableFuture<Optional<Row>> fetchOptional(String sql, Object... args) {
        Object[] a = args(sql, args);
        return worker.submit(s -> {
            List<Row> rows = s.query(sql, a, 1);
            return rows.isEmpty() ? Optional.<Row>empty() : Optional.of(rows.get(0));
        }, sql);
    }

    /**
     * Starts a query and returns a cursor over its rows; rows are stepped only when fetched.
     *
     * @param sql one query, with {@code ?} placeholders
     * @param args one value per placeholder
     * @return a future completed on the worker with the cursor once the query has started (its column names and
     *     declared types are then known). Close the cursor when done with it before it is exhausted.
     */
    public CompletableFuture<Cursor> cursor(String sql, Object... args) {
        Object[] a = args(sql, args);
        CursorState state = new CursorState(sql, a);
        return worker.submit(Cursor.opening(worker, state, s -> s.openCursor(state)), sql);
    }

    /**
     * A stream of a query's rows that steps only as demand arrives, {@link ConnectionOptions#prefetch()} rows per
     * round trip to the worker. Rows stepped ahead of demand never exceed the prefetch size.
     *
     * <p>Each subscription runs the query anew when it first requests rows. {@code onNext} runs on the worker thread
     * (or the completion executor) when a batch arrives, or on the thread that calls {@code request} when rows are
     * already buffered; never concurrently. Cancelling the subscription stops stepping and resets the statement (in
     * submission order: a command made after {@code cancel()} returns sees the statement reset). Errors reach
     * {@code onError} as {@link SqliteException}.
     *
     * @param sql one query, with {@code ?} placeholders
     * @param args one value per placeholder
     * @return a cold publisher; each subscriber gets its own run of the query
     */
    public Flow.Publisher<Row> stream(String sql, Object... args) {
        Object[] a = args(sql, args);
        return new RowPublisher(worker, sql, a, worker.options().prefetch());
    }

    /**
     * Commits the open transaction. Does nothing when no transaction is open.
     *
     * @return a future completed on the worker once committed; fails with {@link SqliteBusyException} when the
     *     commit has to wait for readers longer than the busy timeout (the transaction then stays open)
     */
    public CompletableFuture<Void> commit() {
        return worker.submit(s -> {
            s.commit();
            return null;
        }, "COMMIT");
    }

    /**
     * Rolls back the open transaction. Does nothing when no transaction is open.
     *
     * @return a future completed on the worker once rolled back
     */
    public CompletableFuture<Void> rollback() {
        return worker.submit(s -> {
            s.rollback();
            return null;
        }, "ROLLBACK");
    }

    /**
     * Whether a transaction is open, as SQLite sees it (explicit {@code BEGIN} or {@code SAVEPOINT}).
     *
     * @return a future completed on the worker with the answer
     */
    public CompletableFuture<Boolean> isInTransaction() {
        return worker.submit(s -> s.inTransaction(), null);
    }

    /**
     * Runs a function with the raw JDBC connection on the worker thread, in queue order: for anything this API does
     * not cover (sqlite-jdbc's extensions, metadata). Calls to this connection made inside the function run inline.
     * The function must not keep the connection or hand it to another thread; statements it opens it must close.
     *
     * @param fn the function
     * @param <T> the result type
     * @return a future completed on the worker with the function's result, or failed with what it threw, mapped to
     *     {@link SqliteException}
     */
    public <T> CompletableFuture<T> run(SqlFunction<Connection, T> fn) {
        Objects.requireNonNull(fn, "fn");
        return worker.submit(s -> fn.apply(s.connection()), null);
    }

    /**
     * Registers a scalar SQL function on this connection. The function runs on the worker thread inside the
     * statements that call it; it may return a {@link java.util.concurrent.CompletionStage}, which the worker waits
     * for, bounded by the call's deadline or {@link ConnectionOptions#callbackTimeout()}. An exception it throws
     * fails the statement with it as the cause.
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any number
     * @param fn the function
     * @return a future completed on the worker once registered
     */
    public CompletableFuture<Void> createFunction(String name, int nArgs, SqlScalarFunction fn) {
        return createFunction(name, nArgs, false, fn);
    }

    /**
     * Registers a scalar SQL function, optionally deterministic (so SQLite may use it in indexes and factor it out).
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any number
     * @param deterministic whether equal arguments always give equal results
     * @param fn the function
     * @return a future completed on the worker once registered
     */
    public CompletableFuture<Void> createFunction(String name, int nArgs, boolean deterministic,
            SqlScalarFunction fn) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fn, "fn");
        return register(s -> s.createFunction(name, nArgs, deterministic, fn));
    }

    /**
     * Registers an aggregate SQL function. {@code factory} makes a fresh state for each group, on the worker thread.
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any number
     * @param factory makes one group's state
     * @return a future completed on the worker once registered
     */
    public CompletableFuture<Void> createAggregateFunction(String name, int nArgs,
            Supplier<? extends SqlAggregate> factory) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        return register(s -> s.createAggregate(name, nArgs, factory));
    }

    /**
     * Registers an aggregate that can also run as a window function ({@code OVER (...)}).
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any number
     * @param factory makes one window's state
     * @return a future completed on the worker once registered
     */
    public CompletableFuture<Void> createWindowFunction(String name, int nArgs,
            Supplier<? extends SqlWindowFunction> factory) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        return register(s -> s.createWindow(name, nArgs, factory));
    }

    /**
     * Registers a collating sequence, usable as {@code ORDER BY x COLLATE name}.
     *
     * @param name the collation name
     * @param collation the comparison; runs on the worker thread
     * @return a future completed on the worker once registered
     */
    public CompletableFuture<Void> createCollation(String name, SqlCollation collation) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(collation, "collation");
        return register(s -> s.createCollation(name, collation));
    }

    /**
     * Sets the hook called for each row inserted, updated or deleted, replacing any previous one.
     *
     * @param hook the hook, or {@code null} to remove it
     * @return a future completed on the worker once set
     */
    public CompletableFuture<Void> setUpdateHook(SqlUpdateHook hook) {
        return register(s -> s.setUpdateHook(hook));
    }

    /**
     * Sets the hook called when a transaction commits (including each autocommit statement's), replacing any
     * previous one.
     *
     * @param hook the hook, or {@code null} to remove it
     * @return a future completed on the worker once set
     */
    public CompletableFuture<Void> setCommitHook(SqlTransactionHook hook) {
        return register(s -> s.setCommitHook(hook));
    }

    /**
     * Sets the hook called when a transaction rolls back, replacing any previous one.
     *
     * @param hook the hook, or {@code null} to remove it
     * @return a future completed on the worker once set
     */
    public CompletableFuture<Void> setRollbackHook(SqlTransactionHook hook) {
        return register(s -> s.setRollbackHook(hook));
    }

    /**
     * Sets a busy handler that decides whether to retry a busy lock; it replaces the busy timeout until cleared.
     *
     * @param handler the handler, or {@code null} to go back to {@link ConnectionOptions#busyTimeout()}
     * @return a future completed on the worker once set
     */
    public CompletableFuture<Void> setBusyHandler(SqlBusyHandler handler) {
        int timeout = (int) options().busyTimeout().toMillis();
        return register(s -> s.setBusyHandler(handler, timeout));
    }

    private CompletableFuture<Void> register(java.util.function.Consumer<io.sqliteasync.internal.worker.Session> r) {
        return worker.submit(s -> {
            r.accept(s);
            return null;
        }, null);
    }

    /**
     * The SQLite library version in use.
     *
     * @return a future completed on the worker with the version, for example {@code 3.53.2}
     */
    public CompletableFuture<String> sqliteVersion() {
        return worker.submit(s -> s.libraryVersion(), null);
    }

    /**
     * A view of this connection whose methods block until the command has run and return plain values. Safe to use
     * from virtual threads: a waiting virtual thread spins for a few microseconds and then parks, releasing its
     * carrier while SQLite runs on the worker.
     *
     * @return the blocking view (one per connection)
     */
    public BlockingConnection blocking() {
        return blocking;
    }

    /**
     * Whether the connection is closed or closing.
     *
     * @return {@code true} once {@link #close()} or {@link #closeAsync()} was called, or the worker stopped
     */
    public boolean isClosed() {
        return worker.isClosed();
    }

    /**
     * Closes the connection after the commands queued so far, without waiting. Idempotent. Open cursors and
     * statements are closed; calls made afterwards fail with {@link SqliteClosedException}.
     *
     * @return a future completed on the worker thread once the connection is closed and the thread is ending
     */
    public CompletableFuture<Void> closeAsync() {
        return worker.close();
    }

    /**
     * Closes the connection and waits until the queued commands have run and the worker thread has closed it.
     * Idempotent. Called on the worker thread itself (from a continuation), it cannot wait for itself and returns
     * once the close is queued.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = worker.close();
        if (!worker.onWorkerThread()) {
            done.join();
        }
    }

    ConnectionWorker worker() {
        return worker;
    }

    @Override
    public String toString() {
        return "AsyncConnection[" + worker.options().path() + ", " + worker.thread().getName()
                + (isClosed() ? ", closed]" : "]");
    }

    private static Object[] args(String sql, Object[] args) {
        Objects.requireNonNull(sql, "sql");
        return args == null ? NO_ARGS : args.clone();
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
                        + "; each set must be an Object[], a List, or a Map or record for named parameters", SqliteException.SQLITE_MISMATCH, null, null);
            }
            i++;
        }
        return sets;
    }
}
