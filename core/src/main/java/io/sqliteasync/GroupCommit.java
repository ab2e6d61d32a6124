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

/**
 * Group commit for a {@link Database}'s writer (see {@link DatabaseOptions.Builder#groupCommit(boolean)}): plain
 * writes that wait for the writer at the same time run back to back inside one SQLite transaction, and one
 * {@code COMMIT} (one WAL sync under {@code synchronous=FULL}) makes them all durable.
 *
 * <p>A write that finds no batch waiting opens one, which requests the writer in the writer's fair queue like any
 * other caller; writes made while that batch waits join it, up to the maximum batch size. Nothing is delayed to wait
 * for company: a batch takes what queued while the writer was busy, so a lone write runs at once, on its own, in
 * autocommit, exactly as without group commit. Any other request for the writer (a transaction, {@code begin()}, a
 * write that cannot be grouped, a checkpoint, and reads on one shared connection) closes the waiting batch to later
 * writes first, so calls keep their order.
 *
 * <p>Inside a batch each write runs as a nested call of its own on the writer (its context, deadline and
 * cancellation apply to it alone) with no savepoint around it: a failing statement is undone by SQLite's own
 * statement rollback, as in autocommit, so a write behaves the same whether or not it was grouped. Every caller's
 * future completes only after the shared {@code COMMIT} succeeded; if it fails, every write of the batch fails with
 * its error. A write whose failure makes SQLite roll back the whole transaction (an interrupted or cancelled write,
 * {@code SQLITE_FULL}, an I/O error, {@code ON CONFLICT ROLLBACK}) takes the writes that ran before it in the batch
 * with it: they fail with a {@link SqliteException} that says so, and the rest of the batch goes on in a new
 * transaction.
 *
 * <p>Thread-safe: {@link #submit} and {@link #seal} from any thread; the batch itself runs on the writer thread.
 */
final class GroupCommit {
    /** Statements SQLite refuses inside a transaction, or whose effect there differs: such writes run alone. */
    private static final Set<String> ALONE = Set.of("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE",
            "VACUUM", "ATTACH", "DETACH", "PRAGMA");

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
     * transaction ({@code VACUUM}, {@code ATTACH}, {@code DETACH}, pragmas). Found with the library's SQL lexer.
     */
    static boolean groupable(String sql) {
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
        Unit<T> u = new Unit<>(job, sql, CallContext.capture(), DeadlineScope.current());
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
        // A write that already ran (inline, on the idle writer's thread) needs no timer.
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
        Job<Void> job = s -> {
            run(s, w, take(b));
            return null;
        };
        // A write made on the idle writer's own thread (a continuation of an earlier call) runs inline, as a plain
        // write does there; otherwise the batch queues, so that the writes made meanwhile can join it.
        CompletableFuture<Void> ran = immediate && w.onWorkerThread()
                ? w.submit(job, null, CallContext.empty(), 0)
                : w.enqueue(job, null, CallContext.empty(), 0);
        ran.whenComplete((x, e) -> pool.release(w, () -> settle(b, e)));
    }

    /** Completes every caller of a batch once it ended; on the thread that completed the batch's own call. */
    private void settle(Batch b, Throwable batchFailure) {
        for (Unit<?> u : take(b)) {
            u.settle(batchFailure != null ? Errors.map(batchFailure, u.sql) : null);
        }
    }

    /** Runs a batch on the writer thread. Outcomes are recorded on the units; callers hear of them in settle. */
    private void run(Session s, ConnectionWorker w, List<Unit<?>> units) {
        List<Unit<?>> live = new ArrayList<>(units.size());
        for (Unit<?> u : units) {
            if (u.claimed.compareAndSet(false, true) && !u.out.isDone()) {
                live.add(u);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        if (live.size() == 1) {
            // Alone: autocommit, exactly as without group commit.
            live.get(0).runIn(w);
            return;
        }
        List<Unit<?>> pending = new ArrayList<>();
        boolean inTransaction = false;
        long ends = 0;
        for (int i = 0; i < live.size(); i++) {
            Unit<?> u = live.get(i);
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
                    for (int j = i; j < live.size(); j++) {
                        live.get(j).error = err;
                    }
                    return;
                }
            }
            if (u.runIn(w)) {
                pending.add(u);
            } else if (s.transactionEnds() != ends) {
                // SQLite rolled the whole transaction back for this write's failure: the writes before it in the
                // batch are gone too. The batch goes on in a new transaction.
                inTransaction = false;
                for (Unit<?> lost : pending) {
                    lost.lost(u);
                }
                pending.clear();
            }
        }
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

    /** The writes that wait for the writer together. */
    private static final class Batch {
        /** Guarded by the owning GroupCommit until taken. */
        final List<Unit<?>> units = new ArrayList<>();
    }

    /** One caller's write. */
    private static final class Unit<T> {
        final Job<T> job;
        final String sql;
        final CallContext context;
        final long deadline;
        final SqliteFuture<T> out = new SqliteFuture<>();
        /** Set once by whoever decides the write's fate first: its batch starting, or its wait timing out. */
        final AtomicBoolean claimed = new AtomicBoolean();
        volatile CompletableFuture<Void> timer;
        /** Written on the writer thread while the batch runs; read in settle, after the batch's call completed. */
        T result;
        SqliteException error;
        boolean succeeded;

        Unit(Job<T> job, String sql, CallContext context, long deadline) {
            this.job = job;
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

        void lost(Unit<?> culprit) {
            succeeded = false;
            error = new SqliteException("rolled back with the group-commit batch this write shared: SQLite rolled the"
                    + " batch's transaction back when a later write of the batch failed (" + culprit.error.getMessage()
                    + "); nothing of this write was committed, it may be retried", SQLITE_ABORT, sql,
                    culprit.error);
        }

        void commitFailed(SqliteException e) {
            succeeded = false;
            error = e;
        }

        void settle(Throwable batchFailure) {
            if (error == null && batchFailure != null && !out.isDone()) {
                // The batch's own call failed after the writes ran: a commit hook threw during the shared COMMIT
                // (the commit stands, and each write fails, as a single write's call would), or the writer closed.
                out.completeExceptionally(batchFailure);
                if (succeeded) {
                    job.discard(result);
                }
            } else if (succeeded) {
                if (!out.complete(result)) {
                    job.discard(result);
                }
            } else if (error != null) {
                out.completeExceptionally(error);
            } else if (!out.isDone()) {
                out.completeExceptionally(new SqliteException("the group-commit batch ended before this write ran"));
            }
        }
    }
}
