package io.sqliteasync.internal.pool;

import io.sqliteasync.SqliteTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A fair asynchronous pool of a fixed set of resources: {@link #acquire} never blocks, it returns a future that
 * completes when a resource is free, strictly in request order. With one resource it is the writer's lock.
 *
 * <p>A released resource goes straight to the oldest waiter, completing its future on the releasing thread. That
 * thread is usually a worker whose next command then runs inline; to keep a long queue from turning into a deep
 * recursion, hand-offs made while one is already running on the same thread are queued and run by the outer one.
 *
 * <p>Timeouts use {@link CompletableFuture#orTimeout}, whose JDK scheduler cancels the pending task when the wait
 * ends early, so no thread is owned here.
 *
 * @param <R> the resource type
 */
public final class AsyncPool<R> {
    private static final ThreadLocal<ArrayDeque<Runnable>> HANDOFFS = new ThreadLocal<>();

    private final String what;
    private final int size;
    /** Guarded by this. Most recently released first, so a lightly used pool keeps reusing warm connections. */
    private final ArrayDeque<R> idle = new ArrayDeque<>();
    /** Guarded by this. */
    private final ArrayDeque<Waiter<R>> waiters = new ArrayDeque<>();
    /** Guarded by this. */
    private long acquisitions;
    private long waitNanosTotal;
    private long waitNanosMax;
    private long timeouts;
    /** Guarded by this. Set once the owner has taken every resource for good; later requests fail with it. */
    private Supplier<? extends RuntimeException> closed;

    /**
     * Creates a pool.
     *
     * @param what what the resource is, for error messages, such as {@code "the writer"}
     * @param resources the resources, all idle
     */
    public AsyncPool(String what, Collection<R> resources) {
        this.what = what;
        this.size = resources.size();
        idle.addAll(resources);
    }

    /**
     * Requests a resource.
     *
     * @param timeout how long to wait; {@link Duration#ZERO} waits without limit
     * @return a future completed with the resource (on this thread when one is idle, else on the releasing thread),
     *     or failed with {@link SqliteTimeoutException} on the timeout scheduler's thread. Cancelling it withdraws
     *     the request. The holder must {@link #release} the resource exactly once.
     */
    public CompletableFuture<R> acquire(Duration timeout) {
        Waiter<R> w;
        synchronized (this) {
            if (closed != null) {
                return CompletableFuture.failedFuture(closed.get());
            }
            R r = idle.poll();
            if (r != null) {
                acquisitions++;
                return CompletableFuture.completedFuture(r);
            }
            w = new Waiter<>(System.nanoTime());
            waiters.add(w);
        }
        if (!timeout.isZero()) {
            w.timer = new CompletableFuture<Void>().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
            w.timer.whenComplete((v, e) -> {
                if (e instanceof TimeoutException) {
                    int ahead;
                    synchronized (this) {
                        if (!waiters.remove(w)) {
                            return;
                        }
                        timeouts++;
                        ahead = waiters.size();
                    }
                    w.future.completeExceptionally(new SqliteTimeoutException("could not acquire " + what
                            + " within " + timeout.toMillis() + " ms: all " + size + " busy"
                            + (ahead > 0 ? " and " + ahead + " other callers waiting" : "")
                            + " (a long transaction or read scope holds it?); raise DatabaseOptions.acquireTimeout"
                            + " or keep transactions short"));
                }
            });
        }
        // A cancelled request leaves the queue now rather than at the next release.
        w.future.whenComplete((v, e) -> {
            if (w.future.isCancelled()) {
                synchronized (this) {
                    waiters.remove(w);
                }
                if (w.timer != null) {
                    w.timer.complete(null);
                }
            }
        });
        return w.future;
    }

    /**
     * Gives a resource back; the oldest waiter gets it at once.
     *
     * @param r the resource that {@link #acquire} handed out
     */
    public void release(R r) {
        Waiter<R> w;
        synchronized (this) {
            do {
                w = waiters.poll();
                if (w == null) {
                    idle.push(r);
                    return;
                }
            } while (w.future.isDone());
            long waited = System.nanoTime() - w.since;
            acquisitions++;
            waitNanosTotal += waited;
            waitNanosMax = Math.max(waitNanosMax, waited);
        }
        Waiter<R> next = w;
        handOff(() -> {
            if (next.timer != null) {
                next.timer.complete(null);
            }
            // Lost a race with a cancel or a timeout: the resource goes to the next in line.
            if (!next.future.complete(r)) {
                release(r);
            }
        });
    }

    /**
     * Gives a resource back, then runs {@code then} (typically: complete the caller's future) before the next waiter
     * gets the resource. A caller whose future completes thus finds the resource already released, and its
     * continuations run before the next holder's work, which would otherwise run inline first on this thread.
     *
     * @param r the resource
     * @param then what to run between the release and the hand-off
     */
    public void release(R r, Runnable then) {
        handOff(() -> {
            release(r);
            then.run();
        });
    }

    /**
     * Retires the pool once its owner holds every resource for good: requests still waiting, which could never be
     * served, fail now (on this thread), and later ones fail at once.
     *
     * @param error makes the exception each failed request gets
     */
    public void close(Supplier<? extends RuntimeException> error) {
        List<Waiter<R>> stranded;
        synchronized (this) {
            if (closed != null) {
                return;
            }
            closed = error;
            stranded = List.copyOf(waiters);
            waiters.clear();
        }
        for (Waiter<R> w : stranded) {
            if (w.timer != null) {
                w.timer.complete(null);
            }
            w.future.completeExceptionally(error.get());
        }
    }

    private static void handOff(Runnable task) {
        ArrayDeque<Runnable> pending = HANDOFFS.get();
        if (pending != null) {
            pending.add(task);
            return;
        }
        pending = new ArrayDeque<>();
        HANDOFFS.set(pending);
        try {
            Runnable t = task;
            do {
                t.run();
            } while ((t = pending.poll()) != null);
        } finally {
            HANDOFFS.remove();
        }
    }

    /**
     * How many resources the pool has.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * How many resources are leased.
     *
     * @return the count
     */
    public synchronized int busy() {
        return size - idle.size();
    }

    /**
     * How many callers wait.
     *
     * @return the queue length
     */
    public synchronized int queueLength() {
        return waiters.size();
    }

    /**
     * Counters: acquisitions, total wait nanos, longest wait nanos, timeouts.
     *
     * @return the four numbers, in that order
     */
    public synchronized List<Long> counters() {
        return List.of(acquisitions, waitNanosTotal, waitNanosMax, timeouts);
    }

    private static final class Waiter<R> {
        final long since;
        final CompletableFuture<R> future = new CompletableFuture<>();
        /** Written by the acquiring thread after queueing; a hand-off that reads null just lets the timer fire. */
        volatile CompletableFuture<Void> timer;

        Waiter(long since) {
            this.since = since;
        }
    }
}
