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
 *
 * @param <T> the result type
 */
public final class SqliteFuture<T> extends CompletableFuture<T> {
    /** Each joining thread's spin budget, learned from how its recent joins ended. */
    private static final ThreadLocal<SpinBudget> CALLER_SPIN = ThreadLocal.withInitial(SpinBudget::new);

    /** Creates an incomplete future. */
    public SqliteFuture() {
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new SqliteFuture<>();
    }

    @Override
    public T join() {
        if (isDone()) {
            return super.join();
        }
        SpinBudget budget = CALLER_SPIN.get();
        long start = System.nanoTime();
        if (!spinUntilDone(budget, start)) {
            try {
                return super.join();
            } finally {
                budget.observe(start, System.nanoTime());
            }
        }
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (isDone()) {
            return super.get();
        }
        SpinBudget budget = CALLER_SPIN.get();
        long start = System.nanoTime();
        if (!spinUntilDone(budget, start)) {
            try {
                return super.get();
            } finally {
                budget.observe(start, System.nanoTime());
            }
        }
        return super.get();
    }

    /**
     * Spins up to the budget's limit for the result.
     *
     * @return whether the future completed during the spin (then the budget has learned from it already)
     */
    private boolean spinUntilDone(SpinBudget budget, long start) {
        if (budget.limitNanos(start) == 0) {
            return false;
        }
        long roundStart = start;
        for (;;) {
            for (int i = 0; i < SpinBudget.ROUND; i++) {
                Thread.onSpinWait();
                if (isDone()) {
                    budget.observe(start, System.nanoTime());
                    return true;
                }
            }
            long now = System.nanoTime();
            if (!budget.keepSpinning(start, roundStart, now)) {
                return false;
            }
            roundStart = now;
            // See ConnectionWorker.take: yielding between rounds keeps two spinners on one core from starving each other.
            Thread.yield();
        }
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
