package io.sqliteasync;

import io.sqliteasync.internal.sql.SqlText;
import io.sqliteasync.internal.worker.ConnectionWorker;
import io.sqliteasync.internal.worker.Errors;
import io.sqliteasync.internal.worker.Job;
import io.sqliteasync.internal.worker.Session;
import io.sqliteasync.internal.worker.SqliteFuture;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An open transaction that holds a connection: the writer of a {@link Database} ({@link Database#begin()},
 * {@link Database#transaction(Function)}) or an {@link AsyncConnection} ({@link AsyncConnection#begin()},
 * {@link AsyncConnection#transaction(Function)}). It is a {@link SqlClient}: every call runs inside the transaction and
 * sees its own writes.
 *
 * <p><b>Routing.</b> Calls go straight to the held connection's worker thread. Other callers wait meanwhile: plain
 * writes of the {@code Database} queue for its writer, and every other call of the {@code AsyncConnection} waits, in
 * order, until the transaction ends. Futures complete on the worker thread (or the completion executor); a call made
 * on that thread, for example from a dependent stage, runs inline at once.
 *
 * <p><b>Ending.</b> {@link #commit()} and {@link #rollback()} end the transaction and give the connection back;
 * {@link #close()} rolls back when neither ran, without waiting. On a {@code Database} the transaction also ends, rolled
 * back, when it stays open longer than {@link DatabaseOptions#transactionTimeout()}: the writer is taken back from an
 * abandoned handle, and later calls on it fail with a {@link SqliteException} that says so. A call made after the end
 * fails and runs nothing, so a late write can never escape into autocommit mode. Ending runs on the worker thread after
 * the calls queued before it; a rollback first stops the transaction's running and queued calls.
 *
 * <p><b>Misuse.</b> {@code BEGIN}, {@code COMMIT}, {@code ROLLBACK}, {@code END}, {@code SAVEPOINT} and
 * {@code RELEASE} are refused by {@link #execute} and {@link #executeMany}, with advice; a script that ends the
 * transaction fails, and so does the transaction. While the function of a transaction runs, while the completions of
 * this handle's calls run, and while a blocking transaction body runs, a call that would wait for the held connection
 * itself ({@code db.execute(...)} instead of {@code tx.execute(...)}, {@code db.transaction}, {@code db.begin},
 * {@code db.checkpoint}; any call of the {@code AsyncConnection}) fails at once with {@link SqliteDeadlockException}
 * instead of waiting for a transaction that waits for it.
 *
 * <p><b>Savepoints.</b> {@link #transaction(Function)} runs a nested transaction as a savepoint, with a nested handle
 * (its {@link #depth()} is one more); {@link #commit()}, {@link #rollback()} and {@link #close()} belong to the
 * outermost handle only.
 */
public final class Transaction extends ScopedClient implements AutoCloseable {
    private static final ThreadLocal<Mark> MARK = new ThreadLocal<>();

    private static final int OPEN = 0;
    private static final int COMMITTING = 1;
    private static final int ROLLING_BACK = 2;
    private static final int COMMITTED = 3;
    private static final int ROLLED_BACK = 4;

    /** The client whose own calls are refused inside this transaction: the Database or the AsyncConnection. */
    private final Object owner;
    private final TransactionMode mode;
    private final int depth;
    private final AtomicInteger savepoints;
    private final Transaction root;
    /** The end of the outermost transaction; {@code null} on a savepoint's handle. */
    private final End end;
    private final BlockingTransaction blocking;

    /** Who ends the outermost transaction, decided once, and what follows the end. */
    private static final class End {
        /** OPEN until commit, rollback, close, the timeout or transaction(fn) claims the end; any thread. */
        final AtomicInteger state = new AtomicInteger(OPEN);
        /**
         * Completes once the end job ran and the connection went back: normally when committed, otherwise with why
         * it was not (the commit's error, the timeout, or {@link #rolledBack}).
         */
        final SqliteFuture<Void> done = new SqliteFuture<>();
        final SqliteException rolledBack = new SqliteException("the transaction was rolled back (rollback() or"
                + " close() on its handle)", SqliteException.SQLITE_MISUSE, null, null);
        /** Gives the connection back, then runs its argument (which completes the caller's futures). */
        final Consumer<Runnable> release;
        /** Runs on the worker at the end of the end job (the AsyncConnection's gate opens there). */
        final Runnable onEndJob;
        /** In a group-commit batch: the savepoint that stands for this transaction, else {@code null}. */
        final String savepoint;
        volatile CompletableFuture<Void> timer;

        End(Consumer<Runnable> release, Runnable onEndJob, String savepoint) {
            this.release = release;
            this.onEndJob = onEndJob;
            this.savepoint = savepoint;
        }

        /**
         * Whether the transaction ended as its owner asked (committed, or rolled back by rollback() or close()) and
         * gave the connection back: code still marked as inside it may then use the owner again. One ended by its
         * timeout or a failure does not count, so a write its function makes afterwards still fails instead of
         * committing on its own after the rollback was reported.
         */
        boolean endedOnRequest() {
            int s = state.get();
            if (s == COMMITTED) {
                return true;
            }
            return s == ROLLED_BACK && done.isCompletedExceptionally()
                    && done.handle((v, x) -> x).join() == rolledBack;
        }
    }

    private record Mark(Transaction tx, Mark outer) {
    }

    private Transaction(Object owner, ConnectionWorker worker, TransactionMode mode, Scope scope, int depth,
            AtomicInteger savepoints, Transaction root, End end) {
        super(worker, scope);
        this.owner = owner;
        this.mode = mode;
        this.depth = depth;
        this.savepoints = savepoints;
        this.root = root == null ? this : root;
        this.end = end;
        this.blocking = new BlockingTransaction(this);
    }

    /**
     * A transaction that has just begun on the worker thread, inside the job that ran its BEGIN.
     *
     * @param release gives the connection back and then runs its argument
     * @param onEndJob runs on the worker at the end of the job that commits or rolls back
     * @param timeout rolls the transaction back when it stays open this long; zero for no limit
     * @param onTimeout runs when the timeout ends the transaction
     */
    static Transaction begun(Object owner, ConnectionWorker worker, TransactionMode mode,
            Consumer<Runnable> release, Runnable onEndJob, Duration timeout, Runnable onTimeout) {
        Transaction tx = new Transaction(owner, worker, mode, new Scope(null, "transaction"), 0, new AtomicInteger(),
                null, new End(release, onEndJob, null));
        tx.startTimer(timeout, onTimeout);
        return tx;
    }

    /**
     * The handle of a transaction unit of a group-commit batch, which stands for a savepoint named {@code savepoint}
     * already made inside the batch's transaction on the writer: its commit releases the savepoint, its rollback rolls
     * back to it and releases it (or does nothing if SQLite already rolled the batch's transaction back).
     * {@code release} is handed the completion once that is done, on the writer thread; the batch goes on from there.
     */
    static Transaction begunInBatch(Object owner, ConnectionWorker worker, TransactionMode mode, String savepoint,
            Consumer<Runnable> release, Duration timeout, Runnable onTimeout) {
        Transaction tx = new Transaction(owner, worker, mode, new Scope(null, "transaction"), 0, new AtomicInteger(),
                null, new End(release, () -> { }, savepoint));
        tx.startTimer(timeout, onTimeout);
        return tx;
    }

    private void startTimer(Duration timeout, Runnable onTimeout) {
        Transaction tx = this;
        if (!timeout.isZero()) {
            CompletableFuture<Void> timer = new CompletableFuture<Void>().orTimeout(timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
            tx.end.timer = timer;
            timer.whenComplete((v, e) -> {
                // Claim the end first: a commit racing with the timeout must not run once the timeout is reported.
                if (e instanceof TimeoutException && tx.end.state.compareAndSet(OPEN, ROLLING_BACK)) {
                    SqliteTimeoutException reason = new SqliteTimeoutException("the transaction did not complete"
                            + " within " + timeout.toMillis() + " ms and was rolled back; commit sooner, complete the"
                            + " stage returned by the function sooner, or raise DatabaseOptions.transactionTimeout");
                    // Refuse further statements before the timeout is counted: whoever sees the count sees the end.
                    tx.scope.endBecause(reason.getMessage());
                    onTimeout.run();
                    tx.finish(false, reason);
                }
            });
        }
    }

    /**
     * How the outermost transaction began.
     *
     * @return the mode
     */
    public TransactionMode mode() {
        return mode;
    }

    /**
     * The nesting depth: {@code 0} for the transaction itself, {@code 1} for a savepoint inside it, and so on.
     *
     * @return the depth
     */
    public int depth() {
        return depth;
    }

    /**
     * Commits the transaction and gives the connection back. Queued behind the transaction's calls made before it;
     * runs on the worker thread. Open cursors and streams of the transaction are closed first.
     *
     * @return a future completed on the worker thread (or the completion executor's thread that gave the connection
     *     back) once committed and the connection released; failed with the commit's error (the transaction is then
     *     rolled back), or, when the transaction had already ended (rolled back, timed out, committed), with a
     *     {@link SqliteException} that says how. Cancelling it does not stop the commit.
     */
    public CompletableFuture<Void> commit() {
        if (end == null) {
            return SqliteFuture.failed(savepointEnd("commit"));
        }
        if (!end.state.compareAndSet(OPEN, COMMITTING)) {
            return SqliteFuture.failed(endedError("commit"));
        }
        return finish(true, null);
    }

    /**
     * Rolls the transaction back and gives the connection back. Stops the transaction's running and queued calls
     * first (they fail), then runs on the worker thread. Rolling back a transaction that already rolled back (or timed
     * out) succeeds once that rollback is done.
     *
     * @return a future completed on the worker thread (or the completion executor) once rolled back and the connection
     *     released; failed when the transaction committed or is committing
     */
    public CompletableFuture<Void> rollback() {
        if (end == null) {
            return SqliteFuture.failed(savepointEnd("rollback"));
        }
        if (end.state.compareAndSet(OPEN, ROLLING_BACK)) {
            return finish(false, null);
        }
        int s = end.state.get();
        if (s == ROLLING_BACK || s == ROLLED_BACK) {
            SqliteFuture<Void> out = new SqliteFuture<>();
            end.done.whenComplete((v, e) -> out.complete(null));
            return out;
        }
        return SqliteFuture.failed(endedError("rollback"));
    }

    /**
     * Rolls the transaction back when neither {@link #commit()} nor {@link #rollback()} ran; otherwise does nothing.
     * Does not block: it starts the rollback (which stops the transaction's calls and gives the connection back on the
     * worker thread) and returns. On a savepoint's handle it does nothing: the savepoint ends with its function's
     * stage.
     */
    @Override
    public void close() {
        if (end != null && end.state.compareAndSet(OPEN, ROLLING_BACK)) {
            finish(false, null);
        }
    }

    /**
     * Runs a nested transaction as a savepoint: {@code SAVEPOINT} now, {@code RELEASE} when the stage returned by
     * {@code fn} completes, {@code ROLLBACK TO} (keeping this transaction's earlier work) when it fails or the
     * returned future is cancelled. Complete the nested stage before this transaction ends.
     *
     * @param fn the work, run on the worker thread with the nested handle; it must not block there
     * @param <T> the result type
     * @return a future completed on the worker thread (or the completion executor) with the stage's value once
     *     released, or failed with what failed the stage once rolled back to the savepoint
     */
    public <T> CompletableFuture<T> transaction(Function<? super Transaction, ? extends CompletionStage<T>> fn) {
        Objects.requireNonNull(fn, "fn");
        SqliteFuture<T> out = new SqliteFuture<>();
        if (!scope.isActive()) {
            out.completeExceptionally(scope.ended("SAVEPOINT"));
            return out;
        }
        String name = "sqlite_async_sp_" + (depth + 1) + "_" + savepoints.incrementAndGet();
        Scope child = new Scope(scope, "savepoint");
        Transaction nested = new Transaction(owner, worker, mode, child, depth + 1, savepoints, root, null);
        // As for BEGIN: whoever claims first settles 'out' - the job once it starts (then the scope ends it, even if
        // the deadline fails the job's own future while fn runs), or that future's failure before.
        AtomicBoolean claimed = new AtomicBoolean();
        submit(s -> {
            if (!claimed.compareAndSet(false, true)) {
                return null;
            }
            try {
                s.executeScript("SAVEPOINT " + name);
            } catch (RuntimeException failure) {
                out.completeExceptionally(Errors.map(failure, "SAVEPOINT " + name));
                return null;
            }
            Scope.run(child, nested, h -> marked(root, () -> fn.apply(h)), out, release -> worker.submit(w -> {
                child.end();
                if (release) {
                    scope.check("RELEASE " + name);
                    w.executeScript("RELEASE " + name);
                } else if (scope.isActive()) {
                    w.executeScript("ROLLBACK TO " + name + "; RELEASE " + name);
                }
                return null;
            }, release ? "RELEASE " + name : "ROLLBACK TO " + name, null, 0), Duration.ZERO, () -> { }, "savepoint",
                    Runnable::run);
            return null;
        }, "SAVEPOINT " + name).whenComplete((v, e) -> {
            if (e != null && claimed.compareAndSet(false, true)) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    /**
     * The blocking view of this transaction: the same calls, each waiting on the calling thread, plus blocking
     * {@code commit}, {@code rollback} and savepoints.
     *
     * @return the view (one per handle)
     */
    @Override
    public BlockingTransaction blocking() {
        return blocking;
    }

    /**
     * Ends the outermost transaction once the caller has claimed the end: stops its calls when rolling back, then
     * commits or rolls back on the worker without a deadline (it often runs inline inside a call whose deadline has
     * just passed, and a skipped rollback would leave the transaction open after the connection is given back).
     */
    private CompletableFuture<Void> finish(boolean commit, SqliteException reason) {
        End e = end;
        CompletableFuture<Void> timer = e.timer;
        if (timer != null) {
            timer.complete(null);
        }
        if (!commit) {
            if (reason != null) {
                scope.endBecause(reason.getMessage());
            }
            scope.abandon();
        }
        String sql = e.savepoint != null ? (commit ? "RELEASE " : "ROLLBACK TO ") + e.savepoint
                : commit ? "COMMIT" : "ROLLBACK";
        SqliteFuture<Void> result = new SqliteFuture<>();
        CallListener l = listener();
        CallEvent ev = l == null ? null
                : Listeners.submit(l, commit ? CallEvent.Kind.COMMIT : CallEvent.Kind.ROLLBACK, role(Kind.SCRIPT), sql);
        CompletableFuture<Void> job = worker.submit(s -> {
            if (ev != null) {
                Listeners.start(l, ev);
            }
            try {
                scope.end();
                scope.closeCursors(s);
                if (e.savepoint != null) {
                    endSavepoint(s, e.savepoint, commit);
                    return null;
                }
                if (!commit) {
                    s.rollback();
                    return null;
                }
                try {
                    s.executeScript("COMMIT");
                } catch (RuntimeException x) {
                    try {
                        s.rollback();
                    } catch (RuntimeException r) {
                        x.addSuppressed(r);
                    }
                    throw x;
                }
                return null;
            } finally {
                e.onEndJob.run();
            }
        }, sql, null, 0);
        job.whenComplete((v, x) -> e.release.accept(() -> {
            if (ev != null) {
                Listeners.end(l, ev, x);
            }
            boolean committed = commit && x == null;
            e.state.set(committed ? COMMITTED : ROLLED_BACK);
            if (x != null) {
                SqliteException mapped = Errors.map(x, sql);
                result.completeExceptionally(mapped);
                e.done.completeExceptionally(mapped);
            } else {
                result.complete(null);
                if (committed) {
                    e.done.complete(null);
                } else {
                    e.done.completeExceptionally(reason != null ? reason : e.rolledBack);
                }
            }
        }));
        return result;
    }

    /**
     * Runs the function of {@code transaction(fn)} with a handle that has just begun (on the worker thread, inside
     * the BEGIN job), then commits when its stage completes and rolls back when fn throws, the stage fails or
     * {@code out} is cancelled. {@code out} completes once the transaction ended and the connection went back: with
     * the stage's value when committed, otherwise with why not (the stage's failure, the commit's error, the timeout).
     */
    /**
     * Ends a group-commit unit's savepoint: released on commit; rolled back to and released on rollback, or when the
     * release fails. Nothing to do when SQLite already rolled the batch's whole transaction back.
     */
    private static void endSavepoint(Session s, String savepoint, boolean commit) {
        if (commit) {
            try {
                s.executeScript("RELEASE " + savepoint);
                return;
            } catch (RuntimeException x) {
                try {
                    if (s.inTransaction()) {
                        s.executeScript("ROLLBACK TO " + savepoint + "; RELEASE " + savepoint);
                    }
                } catch (RuntimeException r) {
                    x.addSuppressed(r);
                }
                throw x;
            }
        }
        if (s.inTransaction()) {
            s.executeScript("ROLLBACK TO " + savepoint + "; RELEASE " + savepoint);
        }
    }

    static <T> void run(Transaction tx, Function<? super Transaction, ? extends CompletionStage<T>> fn,
            CompletableFuture<T> out) {
        End e = tx.end;
        class Outcome {
            volatile T value;
            volatile Throwable failure;
            volatile boolean ours;

            void end(boolean commit) {
                if (e.state.compareAndSet(OPEN, commit ? COMMITTING : ROLLING_BACK)) {
                    ours = true;
                    tx.finish(commit, null);
                }
            }
        }
        Outcome o = new Outcome();
        e.done.whenComplete((v, x) -> {
            if (x == null) {
                out.complete(o.value);
            } else if (o.ours && o.failure != null) {
                if (x != e.rolledBack && x != o.failure) {
                    o.failure.addSuppressed(x);
                }
                out.completeExceptionally(o.failure);
            } else {
                out.completeExceptionally(x);
            }
        });
        out.whenComplete((v, x) -> {
            if (out.isCancelled()) {
                o.end(false);
            }
        });
        if (out.isDone()) {
            return;
        }
        CompletionStage<T> stage;
        try {
            stage = marked(tx, () -> Objects.requireNonNull(fn.apply(tx),
                    "the function returned null instead of a stage"));
        } catch (Throwable t) {
            o.failure = t;
            o.end(false);
            return;
        }
        stage.whenComplete((v, x) -> {
            if (x == null) {
                o.value = v;
                o.end(true);
            } else {
                o.failure = x instanceof CompletionException && x.getCause() != null ? x.getCause() : x;
                o.end(false);
            }
        });
    }

    /** Hands a just-begun handle to {@code begin()}'s caller, or rolls it back when the caller gave up meanwhile. */
    static void handOver(Transaction tx, CompletableFuture<Transaction> out, java.util.concurrent.Executor executor) {
        Runnable give = () -> marked(tx, () -> {
            if (!out.complete(tx)) {
                tx.close();
            }
            return null;
        });
        if (executor == null) {
            give.run();
            return;
        }
        try {
            executor.execute(give);
        } catch (RuntimeException rejected) {
            give.run();
        }
    }

    // ------------------------------------------------------------------ routing

    /** The owner's listeners hear the transaction's calls. */
    @Override
    CallListener listener() {
        return ((AbstractSqlClient) owner).listener();
    }

    /** The writer of a Database, or the AsyncConnection. */
    @Override
    CallEvent.Role role(Kind kind) {
        return owner instanceof Database ? CallEvent.Role.WRITER : CallEvent.Role.CONNECTION;
    }

    @Override
    SqliteException refuseInScope(Kind kind, String method, String sql) {
        if ((kind == Kind.EXECUTE || kind == Kind.BATCH) && SqlText.isTransactionControl(sql)) {
            return controlMisuse(sql);
        }
        return null;
    }

    @Override
    Job<Void> scriptJob(String sql) {
        return s -> {
            long ends = s.transactionEnds();
            s.executeScript(sql);
            if (s.transactionEnds() != ends) {
                // COMMIT or ROLLBACK in the script, perhaps followed by BEGIN: the transaction this handle stands
                // for is over, whatever the connection's state now. Refuse its later statements and fail it.
                scope.end();
                if (s.inTransaction()) {
                    s.rollback();
                }
                throw scriptEnded(sql);
            }
            if (!s.inTransaction()) {
                throw scriptEnded(sql);
            }
            return null;
        };
    }

    private static SqliteException scriptEnded(String sql) {
        return new SqliteException("the script ended the transaction (COMMIT, ROLLBACK or END in it); a transaction"
                + " ends with commit() or rollback() on its handle, or when the stage of transaction(fn) completes",
                SqliteException.SQLITE_MISUSE, sql, null);
    }

    @Override
    Exception failure(Session s, Exception e, String sql) {
        // SQLite rolls the whole transaction back after some failures (an interrupted write, SQLITE_FULL, ON CONFLICT
        // ROLLBACK): the handle must not go on in autocommit mode as if nothing happened.
        if (!stillInTransaction(s)) {
            scope.end();
            SqliteException mapped = Errors.map(e, sql);
            return new SqliteException("the transaction was rolled back by SQLite when this statement failed ("
                    + mapped.getMessage() + "); later statements of this transaction fail",
                    mapped.extendedResultCode(), sql, e);
        }
        return e;
    }

    @Override
    void deliver(Runnable completion) {
        marked(root, () -> {
            completion.run();
            return null;
        });
    }

    /** After a failure; when the probe cannot run (nested inside a callback) the transaction is assumed open. */
    private static boolean stillInTransaction(Session s) {
        try {
            return s.inTransaction();
        } catch (SqliteException e) {
            return true;
        }
    }

    // ------------------------------------------------------------------ the marker

    /**
     * Runs {@code body} with this thread marked as running inside {@code tx}, so that a call of the transaction's
     * owner that would wait for the connection the transaction holds fails at once instead.
     */
    static <T> T marked(Transaction tx, Supplier<T> body) {
        Mark previous = MARK.get();
        MARK.set(new Mark(tx.root, previous));
        try {
            return body.get();
        } finally {
            if (previous == null) {
                MARK.remove();
            } else {
                MARK.set(previous);
            }
        }
    }

    /**
     * The error for a call of {@code owner} made on a thread marked as running inside one of owner's transactions
     * that has not ended on request: such a call would wait for the connection that transaction holds.
     *
     * @param call the call, for example {@code Database.execute}
     * @return the error, or {@code null} when the thread runs inside no such transaction
     */
    static SqliteException insideOwnTransaction(Object owner, String call, String sql) {
        for (Mark m = MARK.get(); m != null; m = m.outer) {
            Transaction t = m.tx;
            if (t.owner == owner && !t.end.endedOnRequest()) {
                boolean db = owner instanceof Database;
                String method = call.substring(call.indexOf('.') + 1);
                return new SqliteDeadlockException(call + " inside this " + (db ? "database" : "connection")
                        + "'s own transaction: it would wait for the " + (db ? "writer" : "connection")
                        + " that the transaction holds, and the transaction for it. "
                        + (method.startsWith("execute") || method.startsWith("fetch") || method.equals("cursor")
                                || method.equals("stream")
                                ? "Go through the Transaction handle (tx." + method + ")"
                                : method.equals("transaction") || method.equals("begin")
                                        ? "Use tx.transaction(fn) on the handle for a nested transaction (a savepoint)"
                                        : "Call it after the transaction ends")
                        + "; this call ran nothing", sql);
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ errors

    private SqliteException endedError(String what) {
        int s = end.state.get();
        CompletableFuture<Void> d = end.done;
        if (d.isCompletedExceptionally() && (s == ROLLED_BACK)) {
            Throwable why = d.handle((v, x) -> x).join();
            if (why instanceof SqliteTimeoutException) {
                return new SqliteTimeoutException("cannot " + what + ": " + why.getMessage());
            }
        }
        return new SqliteException("cannot " + what + ": the transaction has already "
                + (s == COMMITTING ? "begun to commit" : s == COMMITTED ? "committed"
                        : "been rolled back (rollback(), close(), a failed function or the transaction timeout)"),
                SqliteException.SQLITE_MISUSE, null, null);
    }

    private static SqliteException savepointEnd(String what) {
        return new SqliteException(what + "() on a savepoint's handle: a savepoint is released when the stage of"
                + " tx.transaction(fn) completes and rolled back to when it fails", SqliteException.SQLITE_MISUSE, null,
                null);
    }

    private static SqliteException controlMisuse(String sql) {
        String kw = SqlText.firstKeyword(sql);
        String advice = kw.equals("BEGIN")
                ? "BEGIN inside a transaction: SQLite transactions do not nest; use tx.transaction(fn) for a nested"
                        + " transaction (a savepoint)"
                : kw.equals("SAVEPOINT") || kw.equals("RELEASE")
                        ? kw + " by hand inside a transaction: use tx.transaction(fn), which makes and releases"
                                + " the savepoint"
                        : kw + " by hand inside a transaction: use tx.commit() or tx.rollback() on the handle; inside"
                                + " transaction(fn) the transaction commits when the function's stage completes and"
                                + " rolls back when it fails or is cancelled";
        return new SqliteException(advice, SqliteException.SQLITE_MISUSE, sql, null);
    }

    @Override
    public String toString() {
        return "Transaction[" + mode + ", depth " + depth + (isActive() ? "]" : ", ended]");
    }
}
