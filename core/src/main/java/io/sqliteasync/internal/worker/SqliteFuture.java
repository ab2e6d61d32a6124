package io.sqliteasync.internal.worker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The future type every call returns. It behaves exactly like {@link CompletableFuture}; the only difference is
 * that {@link #join()} and {@link #get()} spin briefly before parking. A command on an idle connection typically
 * finishes within a few microseconds, and a park/unpark pair costs tens of microseconds on small virtual machines,
 * so a short, bounded spin turns most round trips into a single cache-line handoff. The spin is bounded (at most
 * {@value SpinBudget#MAX_SPIN_NANOS} ns) and adaptive per joining thread ({@link SpinBudget}): when that thread's
 * recent joins waited longer than a spin could cover (a busy machine, or slow commands), it spins less, down to
 * parking at once, so a waiting caller uses no CPU for long; as soon as its waits are short again it spins again.
 * A virtual thread never spins: it parks at once, which unmounts it and leaves its carrier to other virtual threads.
 *
 * @param <T> the result type
 */
public final class SqliteFuture<T> extends CompletableFuture<T> {
    /** Each joining thread's spin budget, learned from how its recent joins ended. */
    private static final ThreadLocal<SpinBudget> CALLER_SPIN =
            ThreadLocal.withInitial(() -> SpinBudget.forJoiner(Thread.currentThread()));

    /** Creates an incomplete future. */
    public SqliteFuture() {
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new SqliteFuture<>();
    }

    @Override
    public T join() {
        SpinBudget parking = spinBeforeParking();
        if (parking == null) {
            return super.join();
        }
        try {
            return super.join();
        } finally {
            parking.parkedWaitEnded(System.nanoTime());
        }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        SpinBudget parking = spinBeforeParking();
        if (parking == null) {
            return super.get();
        }
        try {
            return super.get();
        } finally {
            parking.parkedWaitEnded(System.nanoTime());
        }
    }

    /**
     * Spins up to the joining thread's limit for the result.
     *
     * @return {@code null} when the future is complete (it was, or the spin saw it complete), else the budget, for
     *     the caller to report the end of the parked wait to
     */
    private SpinBudget spinBeforeParking() {
        if (isDone()) {
            return null;
        }
        SpinBudget budget = CALLER_SPIN.get();
        return budget.spin(this, f -> f.isDone() ? Boolean.TRUE : null) != null ? null : budget;
    }

    /**
     * A future already failed with the given exception.
     *
     * @param t the failure
     * @param <T> the result type
     * @return the failed future
     */
    public static <T> SqliteFuture<T> failed(Throwable t) {
        SqliteFuture<T> f = new SqliteFuture<>();
        f.completeExceptionally(t);
        return f;
    }
}
