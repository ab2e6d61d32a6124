package io.sqliteasync;

import io.sqliteasync.internal.pool.AsyncPool;
import io.sqliteasync.internal.sql.SqlScript;
import io.sqliteasync.internal.sql.SqlStatement;
import io.sqliteasync.internal.sql.SqlText;
import io.sqliteasync.internal.worker.CallContext;
import io.sqliteasync.internal.worker.ConnectionWorker;
import io.sqliteasync.internal.worker.DeadlineScope;
import io.sqliteasync.internal.worker.Errors;
import io.sqliteasync.internal.worker.Job;
import io.sqliteasync.internal.worker.Session;
import io.sqliteasync.internal.worker.SqliteFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Group commit for a {@link Database}'s writer (see {@link DatabaseOptions.Builder#groupCommit(boolean)}): plain
 * writes that wait for the writer at the same time run back to back inside one SQLite transaction, and one
 * {@code COMMIT} (one WAL sync under {@code synchronous=FULL}) makes them all durable.
 *
 * <p>A unit of a batch is a plain write ({@code execute}, {@code executeMany}, {@code executeScript}) or a
 * {@code Database.transaction(fn)} in mode {@code DEFERRED} or {@code IMMEDIATE} (a <em>transaction unit</em>).
 * {@code begin()} handles are never batched: their holder controls them across arbitrary awaits, with no function
 * whose stage says when they are done; nor are {@code EXCLUSIVE} transactions, which ask for more than the batch's
 * {@code BEGIN IMMEDIATE}.
 *
 * <p>A write that finds no batch waiting opens one, which requests the writer in the writer's fair queue like any
 * other caller; writes made while that batch waits join it, up to the maximum batch size. Nothing is delayed to wait
 * for company: a batch takes what queued while the writer was busy, so a lone write runs at once, on its own, in
 * autocommit, exactly as without group commit. Any other request for the writer (a transaction, {@code begin()}, a
 * write that cannot be grouped, a checkpoint, and reads on one shared connection) closes the waiting batch to later
 * writes first, so calls keep their order.
 *
 * <p>Inside a batch each plain write runs as a nested call of its own on the writer (its context, deadline and
 * cancellation apply to it alone) with no savepoint around it: a failing statement is undone by SQLite's own
 * statement rollback, as in autocommit, so a write behaves the same whether or not it was grouped. Every caller's
 * future completes only after the shared {@code COMMIT} succeeded; if it fails, every write of the batch fails with
 * its error. A write whose failure makes SQLite roll back the whole transaction (an interrupted or cancelled write,
 * {@code SQLITE_FULL}, an I/O error, {@code ON CONFLICT ROLLBACK}) takes the writes that ran before it in the batch
 * with it: they fail with a {@link SqliteException} that says so, and the rest of the batch goes on in a new
 * transaction.
 *
 * <p>A transaction unit runs in a savepoint of its own ({@code SAVEPOINT sqlite_async_gc_<n>}), made in a nested
 * call with the caller's context and deadline, in which the function starts; its handle ({@link Transaction}) stands
 * for the savepoint: a commit (the function's stage completing, or an explicit {@code commit()}) releases it, a
 * rollback (the function throwing, its stage failing, a failing statement the function passes on, cancellation of the
 * caller's future, the transaction timeout, or an explicit {@code rollback()}) rolls back to it and releases it, and
 * only that caller fails. The batch holds the writer while the function's stage is pending, exactly as a transaction
 * does without group commit, and goes on with its next unit, in a new call of the writer, once the savepoint ended.
 * The caller's future completes with the function's result only after the shared {@code COMMIT} succeeded. A lone
 * transaction unit still forms a batch ({@code BEGIN IMMEDIATE}, savepoint, {@code COMMIT}).
 *
 * <p>Thread-safe: {@link #submit}, {@link #submitTransaction} and {@link #seal} from any thread; the batch itself runs
 * on the writer thread.
 */
final class GroupCommit {
    /** Statements SQLite refuses inside a transaction, or whose effect there differs: such writes run alone. */
    private static final Set<String> ALONE = Set.of("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE",
            "VACUUM", "ATTACH", "DETACH", "PRAGMA");

    /** How many SQL texts {@link #groupable} remembers its decision for (least recently used go first). */
    private static final int GROUPABLE_CACHE = 256;

    /** Longer SQL texts (big scripts) are lexed each time rather than kept in the cache. */
    private static final int MAX_CACHED_SQL = 4096;

    /** {@link #groupable}'s decisions by SQL text, shared by every database; guarded by itself. */
    private static final java.util.Map<String, Boolean> GROUPABLE = new java.util.LinkedHashMap<>(64, 0.75f,
            true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
            return size() > GROUPABLE_CACHE;
        }
    };

    /** SQLite's result code for "callback requested query abort", used for writes lost with their batch. */
    private static final int SQLITE_ABORT = 4;

    private final AsyncPool<ConnectionWorker> pool;
    private final int maxBatch;
    /** The batch that waits for the writer and takes new writes; guarded by this. */
    private Batch open;

    GroupCommit(AsyncPool<ConnectionWorker> pool, int maxBatch) {
        this.pool = pool;
        this.maxBatch = maxBatch;
    }

    /**
     * Whether a write may share a transaction with others: every statement of it (a script may hold several) is
     * neither transaction control nor one of the statements SQLite refuses, or treats differently, in a
     * transaction ({@code VACUUM}, {@code ATTACH}, {@code DETACH}, pragmas). Found with the library's SQL lexer, once
     * per SQL text: the decision is kept in a small LRU cache shared by every database. Any thread.
     */
    static boolean groupable(String sql) {
        synchronized (GROUPABLE) {
            Boolean known = GROUPABLE.get(sql);
            if (known != null) {
                return known;
            }
        }
        boolean g = lexGroupable(sql);
        if (sql.length() <= MAX_CACHED_SQL) {
            synchronized (GROUPABLE) {
                GROUPABLE.put(sql, g);
            }
        }
        return g;
    }

    private static boolean lexGroupable(String sql) {
        int n = SqlScript.count(sql);
        if (n == 1) {
            return !ALONE.contains(SqlText.firstKeyword(sql));
        }
        List<SqlStatement> statements = SqlScript.split(sql);
        if (statements.isEmpty()) {
            return false;
        }
        for (SqlStatement st : statements) {
            if (ALONE.contains(st.firstKeyword())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Queues a write for the next batch. Runs on the caller's thread; the caller's context and deadline are
     * captured here.
     *
     * @param waitLimit how long the write may wait for its batch to start ({@link Duration#ZERO}: no limit)
     * @return a future completed once the batch committed (or the write failed); cancelling it before the write
     *     starts means it never runs
     */
    <T> CompletableFuture<T> submit(Job<T> job, String sql, Duration waitLimit) {
        return submit(new Unit<>(job, null, sql, CallContext.capture(), DeadlineScope.current()), waitLimit);
    }

    /**
     * Queues a transaction unit ({@code Database.transaction(fn)}) for the next batch: it runs in a savepoint of its
     * own inside the batch's transaction. Runs on the caller's thread; the caller's context and deadline are captured
     * here and cover the wait, the savepoint and the statements the function makes while its first part runs.
     *
     * @param waitLimit how long the unit may wait for its batch to start ({@link Duration#ZERO}: no limit)
     * @return a future completed once the batch committed with the function's result, or failed with what failed
     *     the unit; cancelling it rolls the unit back to its savepoint (or withdraws it before it starts)
     */
    <T> CompletableFuture<T> submitTransaction(TransactionStart<T> start, Duration waitLimit) {
        return submit(new Unit<>(null, start, "BEGIN", CallContext.capture(), DeadlineScope.current()), waitLimit);
    }

    private <T> CompletableFuture<T> submit(Unit<T> u, Duration waitLimit) {
        String sql = u.sql;
        Batch opened = null;
        CompletableFuture<ConnectionWorker> lease = null;
        synchronized (this) {
            if (open == null || open.units.size() >= maxBatch) {
                // Requested under the lock: a batch's place in the writer's queue is fixed before anyone can join
                // it, so a write that joins it never overtakes a request made before the write.
                opened = new Batch();
                opened.units.add(u);
                lease = pool.acquire(Duration.ZERO);
                if (!lease.isDone()) {
                    open = opened;
                }
            } else {
                open.units.add(u);
            }
        }
        if (lease != null) {
            // Outside the lock: a writer granted at once runs the batch from here, maybe inline.
            Batch b = opened;
            boolean immediate = lease.isDone();
            lease.whenComplete((w, e) -> start(b, w, e, immediate));
        }
        // A write that already ran (inline, on the idle writer's own thread) needs no timer.
        if (!waitLimit.isZero() && !u.claimed.get() && !u.out.isDone()) {
            u.timer = new CompletableFuture<Void>().orTimeout(waitLimit.toNanos(), TimeUnit.NANOSECONDS);
            u.timer.whenComplete((v, e) -> {
                if (e instanceof TimeoutException && u.claimed.compareAndSet(false, true)) {
                    u.out.completeExceptionally(u.deadline != 0 && u.deadline - System.nanoTime() <= 0
                            ? new SqliteTimeoutException("the call's deadline passed", sql)
                            : new SqliteTimeoutException("could not acquire the writer within "
                                    + waitLimit.toMillis() + " ms (a long transaction holds it?); raise"
                                    + " DatabaseOptions.acquireTimeout or keep transactions short", sql));
                }
            });
            u.out.whenComplete((v, e) -> u.timer.complete(null));
        }
        return u.out;
    }

    /** Closes the waiting batch to later writes, before another request for the writer queues behind it. */
    synchronized void seal() {
        open = null;
    }

    private List<Unit<?>> take(Batch b) {
        synchronized (this) {
            if (open == b) {
                open = null;
            }
            return List.copyOf(b.units);
        }
    }

    /** The writer was granted to the batch (or the request failed: the database closed). */
    private void start(Batch b, ConnectionWorker w, Throwable acquireFailure, boolean immediate) {
        if (acquireFailure != null) {
            for (Unit<?> u : take(b)) {
                u.out.completeExceptionally(acquireFailure);
            }
            return;
        }
        // A write made on the idle writer's own thread (a continuation of an earlier call) runs inline, as a plain
        // write does there; otherwise the batch queues, so that the writes made meanwhile can join it.
        new Runner(b, w).step(immediate && w.onWorkerThread());
    }

    /** Completes every caller of a batch once it ended; on the thread that completed the batch's last call. */
    private void settle(Batch b, Throwable batchFailure) {
        for (Unit<?> u : take(b)) {
            u.settle(batchFailure != null ? Errors.map(batchFailure, u.sql) : null);
        }
    }

    /**
     * Runs one batch on the writer, which it holds from start to end. The units run in order in calls of the writer;
     * a transaction unit suspends the batch while its function's stage is pending (the writer then runs only that
     * transaction's statements), and the batch goes on in a new call once the unit's savepoint is released or rolled
     * back. Fields are touched only on the writer thread, one call after another.
     */
    private final class Runner {
        final Batch b;
        final ConnectionWorker w;
        List<Unit<?>> live;
        int next;
        final List<Unit<?>> pending = new ArrayList<>();
        boolean inTransaction;
        long ends;
        /** The transaction unit whose function holds the batch, or null. */
        Unit<?> suspended;
        /** Set on the writer thread once the batch committed or gave up. */
        boolean finished;
        final AtomicBoolean released = new AtomicBoolean();

        Runner(Batch b, ConnectionWorker w) {
            this.b = b;
            this.w = w;
        }

        /** Runs the batch's next part in a call of the writer; the last one gives the writer back. */
        void step(boolean inline) {
            // Set by the call that ended the batch: only its completion (which carries a commit hook's failure)
            // gives the writer back, whatever thread completes the calls before it.
            AtomicBoolean last = new AtomicBoolean();
            Job<Void> job = s -> {
                run(s);
                last.set(finished);
                return null;
            };
            CompletableFuture<Void> ran = inline
                    ? w.submit(job, null, CallContext.empty(), 0)
                    : w.enqueue(job, null, CallContext.empty(), 0);
            ran.whenComplete((x, e) -> {
                // A call that failed (a commit hook threw during the shared COMMIT, or the writer closed) ends the
                // batch too; a transaction unit still running then finds the batch over when it ends.
                if ((e != null || last.get()) && released.compareAndSet(false, true)) {
                    pool.release(w, () -> settle(b, e));
                }
            });
        }

        /** A transaction unit's savepoint ended: go on with the batch, in a new call. */
        void resume() {
            if (!released.get()) {
                step(false);
            }
        }

        private void run(Session s) {
            if (live == null) {
                List<Unit<?>> units = take(b);
                live = new ArrayList<>(units.size());
                for (Unit<?> u : units) {
                    if (u.claimed.compareAndSet(false, true) && !u.out.isDone()) {
                        live.add(u);
                    }
                }
                if (live.size() == 1 && live.get(0).job != null) {
                    // A lone write: autocommit, exactly as without group commit.
                    live.get(0).runIn(w);
                    finished = true;
                    return;
                }
            }
            if (suspended != null) {
                Unit<?> u = suspended;
                suspended = null;
                if (u.collect()) {
                    pending.add(u);
                }
                checkLost(s, u);
            }
            while (next < live.size()) {
                Unit<?> u = live.get(next++);
                if (u.out.isDone()) {
                    // Cancelled before its turn: skipped.
                    continue;
                }
                if (!inTransaction) {
                    try {
                        s.executeScript("BEGIN IMMEDIATE");
                        ends = s.transactionEnds();
                        inTransaction = true;
                    } catch (RuntimeException e) {
                        SqliteException err = Errors.map(e, "BEGIN IMMEDIATE");
                        for (int j = next - 1; j < live.size(); j++) {
                            live.get(j).error = err;
                        }
                        finished = true;
                        return;
                    }
                }
                if (u.start != null) {
                    if (u.startIn(w, "sqlite_async_gc_" + next, this)) {
                        suspended = u;
                        return;
                    }
                    checkLost(s, u);
                    continue;
                }
                if (u.runIn(w)) {
                    pending.add(u);
                } else {
                    checkLost(s, u);
                }
            }
            finished = true;
            if (!inTransaction) {
                return;
            }
            try {
                s.executeScript("COMMIT");
            } catch (RuntimeException e) {
                SqliteException err = Errors.map(e, "COMMIT");
                // A COMMIT refused by a deferred constraint leaves the transaction open: end it.
                if (s.transactionEnds() == ends) {
                    try {
                        s.rollback();
                    } catch (RuntimeException r) {
                        err.addSuppressed(r);
                    }
                }
                for (Unit<?> u : pending) {
                    u.commitFailed(err);
                }
            }
        }

        /**
         * After a unit ran: if SQLite rolled the whole transaction back for its failure, the units before it in the
         * batch are gone too, and the batch goes on in a new transaction.
         */
        private void checkLost(Session s, Unit<?> culprit) {
            if (inTransaction && (s.transactionEnds() != ends || !s.inTransaction())) {
                inTransaction = false;
                for (Unit<?> lost : pending) {
                    lost.lost(culprit);
                }
                pending.clear();
            }
        }
    }

    /** The writes that wait for the writer together. */
    private static final class Batch {
        /** Guarded by the owning GroupCommit until taken. */
        final List<Unit<?>> units = new ArrayList<>();
    }

    /**
     * Starts a transaction unit on the writer thread, inside the batch's transaction, once its savepoint was made:
     * builds the handle that stands for {@code savepoint} and runs the function with it, completing {@code out} when
     * the savepoint ended. {@code release} must be handed the completion of {@code out} once the savepoint ended.
     */
    @FunctionalInterface
    interface TransactionStart<T> {
        void start(ConnectionWorker w, String savepoint, Consumer<Runnable> release, CompletableFuture<T> out);
    }

    /** One caller's write, or transaction. */
    private static final class Unit<T> {
        /** A plain write's job, or null. */
        final Job<T> job;
        /** A transaction unit's start, or null. */
        final TransactionStart<T> start;
        final String sql;
        final CallContext context;
        final long deadline;
        final SqliteFuture<T> out = new SqliteFuture<>();
        /** Set once by whoever decides the write's fate first: its batch starting, or its wait timing out. */
        final AtomicBoolean claimed = new AtomicBoolean();
        volatile CompletableFuture<Void> timer;
        /** A transaction unit's own outcome, completed when its savepoint ended. */
        CompletableFuture<T> inner;
        /** Written on the writer thread while the batch runs; read in settle, after the batch's call completed. */
        T result;
        Throwable error;
        boolean succeeded;

        Unit(Job<T> job, TransactionStart<T> start, String sql, CallContext context, long deadline) {
            this.job = job;
            this.start = start;
            this.sql = sql;
            this.context = context;
            this.deadline = deadline;
        }

        /** Runs the write as a nested call; whether it succeeded. */
        boolean runIn(ConnectionWorker w) {
            try {
                result = w.runNested(job, sql, context, deadline, out::isDone);
                succeeded = true;
            } catch (SqliteException e) {
                error = e;
            }
            return succeeded;
        }

        /**
         * Makes the unit's savepoint and starts its function, in a nested call with the caller's context and
         * deadline; whether the function started (the batch then waits for its savepoint to end).
         */
        boolean startIn(ConnectionWorker w, String savepoint, Runner runner) {
            inner = new CompletableFuture<>();
            out.whenComplete((v, e) -> {
                if (out.isCancelled()) {
                    inner.cancel(false);
                }
            });
            AtomicBoolean started = new AtomicBoolean();
            String sp = "SAVEPOINT " + savepoint;
            try {
                w.runNested(s -> {
                    s.executeScript(sp);
                    started.set(true);
                    start.start(w, savepoint, done -> {
                        done.run();
                        runner.resume();
                    }, inner);
                    return null;
                }, sp, context, deadline, out::isDone);
            } catch (SqliteException e) {
                if (!started.get()) {
                    error = e;
                }
            }
            return started.get();
        }

        /** A transaction unit's savepoint ended: takes its outcome; whether it succeeded. */
        boolean collect() {
            if (inner.isDone() && !inner.isCompletedExceptionally()) {
                result = inner.getNow(null);
                succeeded = true;
            } else {
                Throwable x = inner.isDone() ? inner.handle((v, e) -> e).join() : null;
                if (x instanceof java.util.concurrent.CompletionException && x.getCause() != null) {
                    x = x.getCause();
                }
                error = x != null ? x : new SqliteException("the transaction unit ended without an outcome");
            }
            return succeeded;
        }

        void lost(Unit<?> culprit) {
            succeeded = false;
            String why = culprit.error != null ? culprit.error.getMessage() : "the transaction ended";
            error = new SqliteException("rolled back with the group-commit batch this write shared: SQLite rolled the"
                    + " batch's transaction back when a later write of the batch failed (" + why
                    + "); nothing of this write was committed, it may be retried", SQLITE_ABORT, sql,
                    culprit.error);
        }

        void commitFailed(SqliteException e) {
            succeeded = false;
            error = e;
        }

        void discard(T value) {
            if (job != null) {
                job.discard(value);
            }
        }

        void settle(Throwable batchFailure) {
            if (error == null && batchFailure != null && !out.isDone()) {
                // The batch's own call failed after the writes ran: a commit hook threw during the shared COMMIT
                // (the commit stands, and each write fails, as a single write's call would), or the writer closed.
                out.completeExceptionally(batchFailure);
                if (succeeded) {
                    discard(result);
                }
            } else if (succeeded) {
                if (!out.complete(result)) {
                    discard(result);
                }
            } else if (error != null) {
                out.completeExceptionally(error);
            } else if (!out.isDone()) {
                out.completeExceptionally(new SqliteException("the group-commit batch ended before this write ran"));
            }
        }
    }
}
