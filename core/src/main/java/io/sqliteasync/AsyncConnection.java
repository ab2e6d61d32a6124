package io.sqliteasync;

import io.sqliteasync.internal.dump.DumpPublisher;
import io.sqliteasync.internal.worker.Backups;
import io.sqliteasync.internal.worker.ConnectionWorker;
import io.sqliteasync.internal.worker.Job;
import io.sqliteasync.internal.worker.SqliteFuture;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One SQLite connection driven from any thread without blocking it. It is a {@link SqlClient}: every query method is
 * documented there.
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
 * explicit transaction whose write was stopped this way, while a stopped read leaves the transaction open.
 * {@code orTimeout(...)} on a returned future works the same way, and
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
 * <p><b>Transactions.</b> The connection is in SQLite's autocommit mode: each statement commits on its own.
 * {@link #transaction(Function)} and {@link #begin()} run a transaction with exclusive use of the connection: the
 * transaction's calls go through its {@link Transaction} handle, and every other call on this connection waits, in
 * order, until it ends, so any number of callers may run transactions on one connection. The gate costs the plain
 * path nothing measurable: it is one flag the worker checks when it takes a command. Raw {@code BEGIN ... COMMIT}
 * through {@link #execute} still works for a single caller, but the statements of concurrent callers interleave
 * with it; {@link #commit()} and {@link #rollback()} end such a raw transaction.
 *
 * <p><b>Gaps in the gate.</b> Fetches of a cursor and pages of a stream opened outside a transaction are not held
 * back while one runs: they step the statement that was already started.
 */
public final class AsyncConnection extends AbstractSqlClient implements AutoCloseable {

    private final ConnectionWorker worker;
    private final BlockingConnection blocking;
    private final Listeners listeners;

    private AsyncConnection(ConnectionWorker worker) {
        this.worker = worker;
        this.blocking = new BlockingConnection(this);
        this.listeners = new Listeners(worker.options().listener());
    }

    /**
     * Opens a connection with default options.
     *
     * @param path a file path, {@code ":memory:"} or a {@code file:} URI such as {@code file:app.db?mode=ro}, or a
     *     {@code dqlite://host:port,host:port/name} URL of a dqlite cluster (needs {@code sqlite-async-dqlite} on the
     *     class path; see docs/dqlite.md)
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
     * Adds a listener told of every call made from now on through this connection, its transactions, cursors,
     * streams and blocking view, after the one of {@link ConnectionOptions#listener()} and those added before. Any
     * thread; see {@link CallListener} for the threads its callbacks run on.
     *
     * @param listener the listener
     */
    public void addListener(CallListener listener) {
        listeners.add(listener);
    }

    /**
     * Removes a listener added with {@link #addListener} (or set in the options); calls already made may still
     * report to it. Any thread.
     *
     * @param listener the listener
     * @return whether it was there
     */
    public boolean removeListener(CallListener listener) {
        return listeners.remove(listener);
    }

    // ------------------------------------------------------------------ routing of the SqlClient surface

    @Override
    CallListener listener() {
        return listeners.get();
    }

    @Override
    CallEvent.Role role(Kind kind) {
        return CallEvent.Role.CONNECTION;
    }

    /** A call made inside this connection's own transaction would wait for that transaction: refused at once. */
    @Override
    SqliteException refuse(Kind kind, String method, String sql) {
        return Transaction.insideOwnTransaction(this, "AsyncConnection." + method, sql);
    }

    /** Every plain call is gated: it waits, in order, while a transaction holds the connection. */
    @Override
    <T> CompletableFuture<T> write(Job<T> job, String sql) {
        return worker.submitGated(job, sql);
    }

    @Override
    <T> CompletableFuture<T> read(Job<T> job, String sql) {
        return worker.submitGated(job, sql);
    }

    @Override
    ConnectionWorker cursorWorker() {
        return worker;
    }

    @Override
    <T> CompletableFuture<T> onCursorWorker(ConnectionWorker w, Job<T> job, String sql) {
        return worker.submitGated(job, sql);
    }

    // ------------------------------------------------------------------ transactions

    /**
     * Begins a transaction with {@code BEGIN IMMEDIATE}; see {@link #begin(TransactionMode)}.
     *
     * @return a future completed with the handle once the transaction began
     */
    public CompletableFuture<Transaction> begin() {
        return begin(TransactionMode.IMMEDIATE);
    }

    /**
     * Begins a transaction that holds this connection exclusively until {@link Transaction#commit()},
     * {@link Transaction#rollback()} or {@link Transaction#close()} (use try-with-resources): every other call made
     * on this connection meanwhile (not through the handle) waits and then runs in order after the transaction ends,
     * so concurrent callers never see each other's transactions. The {@code BEGIN} itself waits its turn the same way
     * behind a transaction in progress. There is no transaction timeout on a single connection: a handle that is
     * never ended holds the connection until it is closed (closing rolls the transaction back and fails the calls
     * that waited for it).
     *
     * @param mode how to begin
     * @return a future completed, on the worker thread or the completion executor, with the handle once the
     *     transaction began; failed with {@link SqliteBusyException} when another connection holds the write lock
     *     past the busy timeout, with {@link SqliteException} when a transaction opened with raw SQL is open, or with
     *     {@link SqliteDeadlockException} when called inside this connection's own transaction. Cancelling it before
     *     the transaction began withdraws the request; a transaction that began meanwhile is rolled back.
     */
    public CompletableFuture<Transaction> begin(TransactionMode mode) {
        Objects.requireNonNull(mode, "mode");
        return this.<Transaction>beginThen(mode, "AsyncConnection.begin",
                (tx, out) -> Transaction.handOver(tx, out, worker.options().completionExecutor()));
    }

    /**
     * Runs {@code fn} in a transaction begun with {@code BEGIN IMMEDIATE}; see
     * {@link #transaction(TransactionMode, Function)}.
     *
     * @param fn the work
     * @param <T> the result type
     * @return a future completed on the worker thread (or the completion executor)
     */
    public <T> CompletableFuture<T> transaction(Function<? super Transaction, ? extends CompletionStage<T>> fn) {
        return transaction(TransactionMode.IMMEDIATE, fn);
    }

    /**
     * Begins a transaction as {@link #begin(TransactionMode)} does, with exclusive use of this connection, and runs
     * {@code fn} with its handle; commits when the stage {@code fn} returns completes normally, and rolls back when
     * {@code fn} throws, the stage fails, or the returned future is cancelled (which also stops the transaction's
     * running statements). Cursors and streams left open are closed first. Many callers may run transactions on one
     * connection at once: they take turns, in order.
     *
     * <p>Inside {@code fn}, go through the handle: a call on this connection made while {@code fn} runs or from a
     * stage completed by the handle fails at once with {@link SqliteDeadlockException}, since it would wait for the
     * transaction to end.
     *
     * @param mode how to begin
     * @param fn the work, run on the worker thread; it must not block there
     * @param <T> the result type
     * @return a future completed on the worker thread (or the completion executor) with the stage's value once
     *     committed; failed with what failed the stage (the transaction then rolled back) or with the commit's error.
     *     Cancelling it rolls the transaction back (or withdraws it while it waits its turn).
     */
    public <T> CompletableFuture<T> transaction(TransactionMode mode,
            Function<? super Transaction, ? extends CompletionStage<T>> fn) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(fn, "fn");
        return this.<T>beginThen(mode, "AsyncConnection.transaction", (tx, out) -> Transaction.run(tx, fn, out));
    }

    /**
     * Queues a gated BEGIN; once it ran, holds the connection and hands the new handle and {@code out} to
     * {@code begun}, on the worker thread inside the BEGIN job. Whoever claims first settles {@code out}: the job once
     * it starts (then the handle ends the transaction, even if the deadline fails the job's own future while fn
     * runs), or that future's failure (deadline, close) before.
     */
    private <T> CompletableFuture<T> beginThen(TransactionMode mode, String call,
            java.util.function.BiConsumer<Transaction, CompletableFuture<T>> begun) {
        SqliteFuture<T> out = new SqliteFuture<>();
        String begin = mode.beginSql();
        CallListener l = listeners.get();
        CallEvent ev = l == null ? null : Listeners.submit(l, CallEvent.Kind.BEGIN, CallEvent.Role.CONNECTION, begin);
        SqliteException inside = Transaction.insideOwnTransaction(this, call, null);
        if (inside != null) {
            ended(l, ev, inside);
            out.completeExceptionally(inside);
            return out;
        }
        long deadline = io.sqliteasync.internal.worker.DeadlineScope.current();
        java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Void> started = worker.submitGated(s -> {
            if (out.isDone() || !claimed.compareAndSet(false, true)) {
                return null;
            }
            if (ev != null) {
                Listeners.start(l, ev);
            }
            try {
                s.executeScript(begin);
            } catch (RuntimeException failure) {
                // Nothing began (busy, or a transaction opened with raw SQL is open: not ours to roll back).
                SqliteException mapped = io.sqliteasync.internal.worker.Errors.map(failure, begin);
                ended(l, ev, mapped);
                out.completeExceptionally(mapped);
                return null;
            }
            if (deadline != 0 && System.nanoTime() - deadline >= 0) {
                s.rollback();
                SqliteTimeoutException late = new SqliteTimeoutException("the call's deadline passed", begin);
                ended(l, ev, late);
                out.completeExceptionally(late);
                return null;
            }
            ended(l, ev, null);
            worker.beginExclusive();
            begun.accept(Transaction.begun(this, worker, mode, Runnable::run, worker::endExclusive, Duration.ZERO,
                    null), out);
            return null;
        }, begin);
        started.whenComplete((x, e) -> {
            if (e != null && claimed.compareAndSet(false, true)) {
                ended(l, ev, e);
                out.completeExceptionally(e);
            }
        });
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                started.cancel(false);
            }
            // Withdrawn before the BEGIN ran (cancelled): the begin call ends here.
            ended(l, ev, e);
        });
        return out;
    }

    /** Ends a reported BEGIN, if reported and not ended yet. */
    private static void ended(CallListener l, CallEvent ev, Throwable failure) {
        if (ev != null) {
            Listeners.end(l, ev, failure);
        }
    }

    /**
     * Commits the open transaction. Does nothing when no transaction is open.
     *
     * @return a future completed on the worker once committed; fails with {@link SqliteBusyException} when the
     *     commit has to wait for readers longer than the busy timeout (the transaction then stays open)
     */
    public CompletableFuture<Void> commit() {
        return call("commit", s -> {
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
        return call("rollback", s -> {
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
        return call("isInTransaction", s -> s.inTransaction(), null);
    }

    /**
     * Runs a function with the raw JDBC connection on the worker thread, in queue order: for anything this API does
     * not cover (sqlite-jdbc's extensions, metadata). Calls to this connection made inside the function run inline.
     * The function must not keep the connection or hand it to another thread; statements it opens it must close.
     * The connection is open in SQLite's multi-thread mode ({@code SQLITE_OPEN_NOMUTEX}: SQLite takes no lock of its
     * own, since only the worker uses it), so using it or its statements from another thread is not merely a race
     * but undefined behaviour in SQLite, which can corrupt memory.
     *
     * @param fn the function
     * @param <T> the result type
     * @return a future completed on the worker with the function's result, or failed with what it threw, mapped to
     *     {@link SqliteException}
     */
    public <T> CompletableFuture<T> run(SqlFunction<Connection, T> fn) {
        Objects.requireNonNull(fn, "fn");
        return call("run", s -> fn.apply(s.connection()), null);
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
        return call("register", s -> {
            r.accept(s);
            return null;
        }, null);
    }

    /**
     * The SQLite library version in use, as {@code SELECT sqlite_version()} gives it.
     *
     * @return a future completed on the worker (or the completion executor) with the version, for example
     *     {@code 3.53.2}
     */
    public CompletableFuture<String> sqliteVersion() {
        return call("sqliteVersion", s -> s.libraryVersion(), null);
    }

    /**
     * The options the SQLite library was compiled with ({@code PRAGMA compile_options}), for example
     * {@code ENABLE_FTS5} or {@code THREADSAFE=1}.
     *
     * @return a future completed on the worker (or the completion executor) with the options, without the
     *     {@code SQLITE_} prefix, in SQLite's order
     */
    public CompletableFuture<java.util.List<String>> compileOptions() {
        return call("compileOptions", s -> s.compileOptions(), "PRAGMA compile_options");
    }

    /**
     * Rows changed, inserted or deleted by the most recent INSERT, UPDATE or DELETE on this connection
     * ({@code sqlite3_changes}). Runs in queue order, so it sees the calls made before it.
     *
     * @return a future completed on the worker (or the completion executor) with the count
     */
    public CompletableFuture<Long> changes() {
        return call("changes", s -> s.changes(), null);
    }

    /**
     * Rows changed, inserted or deleted since this connection opened ({@code sqlite3_total_changes}). Runs in queue
     * order.
     *
     * @return a future completed on the worker (or the completion executor) with the count
     */
    public CompletableFuture<Long> totalChanges() {
        return call("totalChanges", s -> s.totalChanges(), null);
    }

    /**
     * The rowid of the most recent successful INSERT on this connection ({@code sqlite3_last_insert_rowid}). Runs in
     * queue order.
     *
     * @return a future completed on the worker (or the completion executor) with the rowid, 0 before any insert
     */
    public CompletableFuture<Long> lastInsertRowid() {
        return call("lastInsertRowid", s -> s.lastInsertRowid(), null);
    }

    /**
     * Stops whatever runs on this connection now, like aiosqlite's {@code interrupt()} and
     * {@code sqlite3_interrupt}, but aimed at one call: the call the worker is running at this moment (with its
     * nested inline calls) fails, within {@link ConnectionOptions#progressSteps()} VM steps, with a
     * {@link SqliteException} whose result code is {@link SqliteException#SQLITE_INTERRUPT}. Calls queued behind it
     * are not affected and run next, and a call that starts later is never hit by this request, so the connection
     * stays usable. An interrupted write in an explicit transaction is rolled back by SQLite, as any interrupted
     * write; a call busy outside SQLite (waiting for an async callback) fails only when SQLite next checks.
     *
     * <p>Any thread, without waiting: unlike cancelling one future (which stops only that call), this stops the
     * running call whoever made it, for example one made by a transaction or a stream.
     *
     * @return whether a call was running to interrupt; {@code false} on an idle (or closed) connection
     */
    public boolean interrupt() {
        return worker.interrupt();
    }

    /**
     * Sets a progress handler, replacing any previous one: called on the worker thread every {@code steps} SQLite
     * VM steps (approximately; see {@link SqlProgressHandler} for the grain) while a statement runs, next to the
     * library's own handler, so cancellation and deadlines keep working while it is set. Returning {@code true}
     * stops the statement, which fails with {@code SQLITE_INTERRUPT}.
     *
     * @param steps VM steps between calls, at least 1 (ignored when {@code handler} is {@code null})
     * @param handler the handler, or {@code null} to remove it
     * @return a future completed on the worker (or the completion executor) once set, in queue order; failed with
     *     {@link SqliteException} when {@code steps} is below 1
     */
    public CompletableFuture<Void> setProgressHandler(int steps, SqlProgressHandler handler) {
        if (handler != null && steps < 1) {
            return SqliteFuture.failed(new SqliteException("steps must be at least 1, was " + steps));
        }
        return register(s -> s.setProgressHandler(steps, handler));
    }

    /**
     * The database as SQL text, as {@link #dump(DumpOptions)} with {@link DumpOptions#defaults()}.
     *
     * @return a cold publisher of statements
     */
    public Flow.Publisher<String> dump() {
        return dump(DumpOptions.defaults());
    }

    /**
     * The database as SQL text, one complete statement per item (each ends with {@code ;}), in the order the sqlite3
     * shell's {@code .dump} writes them: {@code PRAGMA foreign_keys=OFF; BEGIN TRANSACTION;}, each table's
     * {@code CREATE} followed by its rows as {@code INSERT}s, then {@code sqlite_sequence} and {@code sqlite_stat1},
     * indexes, views, triggers, {@code PRAGMA user_version} and {@code COMMIT;}. Running the statements with
     * {@link #executeScript} on an empty database restores every table's rows exactly; see the "Dump" section of
     * {@code docs/operations.md} for the details.
     *
     * <p>Each subscription, on its first {@code request}, begins a {@link TransactionMode#DEFERRED} transaction (see
     * {@link #begin(TransactionMode)}), so the dump sees one consistent state and holds this connection exclusively
     * until it completes, fails or is cancelled: other calls on the connection wait meanwhile. It reads rows only as
     * demand arrives, {@link ConnectionOptions#prefetch()} rows per round trip. {@code onNext} runs on the worker
     * thread (or the completion executor), or on the thread that calls {@code request} when statements are already
     * read; never concurrently. Cancelling stops reading and rolls the read transaction back; so does
     * {@link #close()}, and the dump then fails. The transaction has ended before {@code onComplete} or
     * {@code onError} is signalled. Errors reach {@code onError} as {@link SqliteException}:
     * {@link SqliteClosedException} on a closed connection, {@link SqliteDeadlockException} inside this connection's
     * own transaction.
     *
     * @param options which schema and tables, whether rowids are kept
     * @return a cold publisher of statements; each subscriber gets its own dump
     */
    public Flow.Publisher<String> dump(DumpOptions options) {
        Objects.requireNonNull(options, "options");
        return new DumpPublisher<Transaction>(() -> begin(TransactionMode.DEFERRED), tx -> tx, Transaction::rollback,
                options, options().prefetch());
    }

    /**
     * Copies the database, online, to a file; see {@link #backup(Path, BackupOptions)}.
     *
     * @param target the backup file; replaced once the copy is complete
     * @return a future completed on the worker (or the completion executor) with the last progress report
     */
    public CompletableFuture<BackupProgress> backup(Path target) {
        return backup(target, BackupOptions.defaults());
    }

    /**
     * Copies a schema of this connection, online, to a file with SQLite's backup API, {@link BackupOptions#pagesPerStep()}
     * pages at a time. The backup is one call in the queue, but it shares the connection: after each step the worker
     * runs the calls queued meanwhile (and those that arrive during {@link BackupOptions#pause()}), then copies the
     * next pages. Writes made through this connection between steps go into the copy; a write by another connection
     * makes SQLite restart the copy from the first page, so the copy always holds one consistent state: every commit
     * made before its last step.
     *
     * <p>The copy is written to a temporary file in the target's directory and renamed onto {@code target} once
     * complete, so a failed, cancelled or timed-out backup leaves no file. Cancelling the future or passing its
     * deadline stops the backup after the current step: the source is write-locked for a moment so that SQLite ends
     * the copy (when it cannot be, as on a read-only file, the copy runs to its end and is thrown away).
     * {@link #interrupt()} stops it the same way.
     *
     * @param target the backup file: its directory must exist and be writable; an existing file is replaced; the
     *     source database (or its {@code -wal}/{@code -shm} file) is refused
     * @param options pages per step, pause, progress listener, schema
     * @return a future completed on the worker (or the completion executor) with the last progress report; failed
     *     with a {@link SqliteException} naming the problem (missing or read-only directory, the source itself, no such
     *     schema), {@link SqliteTimeoutException} at the deadline, or cancelled
     */
    public CompletableFuture<BackupProgress> backup(Path target, BackupOptions options) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        return call("backup", Backups.backup(target, options, false), null);
    }

    /**
     * Copies this database into another open connection, replacing its content: an online backup (as
     * {@link #backup(Path, BackupOptions)}, in steps that share this connection) to a temporary file, then a
     * {@link #restore(Path, BackupOptions) restore} of that file on {@code target}'s worker, then the file is deleted.
     * sqlite-jdbc offers the backup API only between a connection and a file name, so two connections on two worker
     * threads meet through a file. The listener is told of the backup's steps only.
     *
     * @param target the connection whose content is replaced; not this one
     * @param options pages per step, pause, listener and schema (copied from this connection's schema into the same
     *     schema of {@code target})
     * @return a future completed on {@code target}'s worker (or its completion executor) with the backup's last
     *     progress report; cancelling it stops the backup, or, once the restore has started, lets the restore finish
     */
    public CompletableFuture<BackupProgress> backupTo(AsyncConnection target, BackupOptions options) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        if (target == this) {
            return SqliteFuture.failed(new SqliteException("backupTo: the target is this connection itself",
                    SqliteException.SQLITE_MISUSE, null, null));
        }
        Path temp;
        try {
            temp = java.nio.file.Files.createTempDirectory("sqlite-async-backup").resolve("copy.db");
        } catch (java.io.IOException e) {
            return SqliteFuture.failed(new SqliteException("backupTo: cannot create a temporary directory: " + e,
                    SqliteException.SQLITE_CANTOPEN, null, e));
        }
        SqliteFuture<BackupProgress> out = new SqliteFuture<>();
        CompletableFuture<BackupProgress> copy = backup(temp, options);
        out.whenComplete((v, e) -> {
            // A restore cannot be stopped once it runs; its file is deleted only when it ends.
            if (out.isCancelled()) {
                copy.cancel(false);
            }
        });
        BackupOptions restoreOptions = BackupOptions.builder().schema(options.schema())
                .pagesPerStep(options.pagesPerStep()).build();
        copy.whenComplete((progress, failure) -> {
            if (failure != null || out.isDone()) {
                Backups.deleteTemporary(temp);
                out.completeExceptionally(failure != null ? failure : new java.util.concurrent.CancellationException());
                return;
            }
            target.restore(temp, restoreOptions).whenComplete((r, e) -> {
                Backups.deleteTemporary(temp);
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(progress);
                }
            });
        });
        return out;
    }

    /**
     * Replaces the content of the database by that of a database file; see {@link #restore(Path, BackupOptions)}.
     *
     * @param source the database file to read
     * @return a future completed on the worker (or the completion executor) once replaced
     */
    public CompletableFuture<BackupProgress> restore(Path source) {
        return restore(source, BackupOptions.defaults());
    }

    /**
     * Replaces the content of a schema of this connection by that of a database file, with SQLite's backup API (the
     * file is the source, this connection the destination). The replacement commits at the end, at once, or not at
     * all. Unlike a backup it does not share the connection between steps (SQLite does not allow the destination to
     * be used meanwhile), and once started it runs to its end: cancelling or a deadline stops it only before it
     * starts. The listener is told of each step; {@link BackupOptions#pause()} does not apply.
     *
     * @param source the database file to read
     * @param options schema, pages per step, listener
     * @return a future completed on the worker (or the completion executor) with the last progress report; failed
     *     with a {@link SqliteException} when the file is missing, unreadable or not a database (the content is then
     *     unchanged)
     */
    public CompletableFuture<BackupProgress> restore(Path source, BackupOptions options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        return call("restore", Backups.restore(source, options), null);
    }

    /**
     * Writes a compacted copy of the {@code main} schema to a new file with {@code VACUUM INTO}, the path bound as a
     * parameter. Runs as one call (SQLite runs VACUUM as one statement); cancelling or a deadline stops it and leaves
     * no file.
     *
     * @param target the new file; it must not exist, and its directory must exist and be writable
     * @return a future completed on the worker (or the completion executor) once the file is written; failed with a
     *     {@link SqliteException} naming the problem (the target exists, missing or read-only directory)
     */
    public CompletableFuture<Void> vacuumInto(Path target) {
        Objects.requireNonNull(target, "target");
        return call("vacuumInto", Backups.vacuumInto(target, "main"), "VACUUM INTO ?");
    }

    /**
     * The {@code main} schema as the bytes of a database file ({@code sqlite3_serialize}); see
     * {@link #serialize(String)}.
     *
     * @return a future completed on the worker (or the completion executor) with the bytes
     */
    public CompletableFuture<byte[]> serialize() {
        return serialize("main");
    }

    /**
     * A schema as the bytes of a database file ({@code sqlite3_serialize}): what a backup would write, in memory.
     *
     * @param schema {@code main}, {@code temp} or an attached schema
     * @return a future completed on the worker (or the completion executor) with the bytes; failed with a
     *     {@link SqliteException} when there is no such schema or it is larger than a Java array can hold
     */
    public CompletableFuture<byte[]> serialize(String schema) {
        Objects.requireNonNull(schema, "schema");
        return call("serialize", Backups.serialize(schema), null);
    }

    /**
     * Replaces the {@code main} schema by the database in {@code data}; see {@link #deserialize(String, byte[])}.
     *
     * @param data the bytes of a database file, as {@link #serialize()} gives them
     * @return a future completed on the worker (or the completion executor) once replaced
     */
    public CompletableFuture<Void> deserialize(byte[] data) {
        return deserialize("main", data);
    }

    /**
     * Replaces a schema by the database in {@code data}, for example to load a fixture into {@code :memory:}. An
     * in-memory schema becomes an in-memory database holding the bytes ({@code sqlite3_deserialize}, resizable, so it
     * can be written); a schema backed by a file keeps its file, whose content is replaced as by
     * {@link #restore(Path)} from a temporary copy of the bytes. The array is copied when the call is made.
     *
     * @param schema the schema to replace
     * @param data the bytes of a database file
     * @return a future completed on the worker (or the completion executor) once replaced; failed with a
     *     {@link SqliteException} when the bytes are not a database (the schema is then unchanged) or there is no such
     *     schema
     */
    public CompletableFuture<Void> deserialize(String schema, byte[] data) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(data, "data");
        return call("deserialize", Backups.deserialize(schema, data), null);
    }

    /**
     * A view of this connection whose methods block until the command has run and return plain values. Safe to use
     * from virtual threads: a waiting virtual thread spins for a few microseconds and then parks, releasing its
     * carrier while SQLite runs on the worker.
     *
     * @return the blocking view (one per connection)
     */
    @Override
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

    /** A plain call of this connection's own API: refused inside its own transaction, gated otherwise. */
    private <T> CompletableFuture<T> call(String method, Job<T> job, String sql) {
        SqliteException inside = Transaction.insideOwnTransaction(this, "AsyncConnection." + method, sql);
        return inside != null ? SqliteFuture.failed(inside) : worker.submitGated(job, sql);
    }

    @Override
    public String toString() {
        return "AsyncConnection[" + worker.options().path() + ", " + worker.thread().getName()
                + (isClosed() ? ", closed]" : "]");
    }

}
