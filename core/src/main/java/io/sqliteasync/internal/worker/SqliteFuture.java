package io.sqliteasync.internal.worker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The future type every call returns. It behaves exactly like {@link CompletableFuture}; the only difference is
 * that {@link #join()} and {@link #get()} spin briefly before parking. A command on an idle connection typically
 * finishes within a few microseconds, and a park/unpark pair costs tens of microseconds on small virtual machines,
 * so a short, bounded spin turns most round trips into a single cache-line handoff. The spin is bounded by
 * {@link #SPIN_NANOS}; past that the thread parks as usual, so a waiting caller uses no CPU for long.
 *
 * @param <T> the result type
 */
public final class SqliteFuture<T> extends CompletableFuture<T> {
    /** How long a joining caller spins before parking. */
    static final long SPIN_NANOS = 40_000;

    /** Creates an incomplete future. */
    public SqliteFuture() {
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new SqliteFuture<>();
    }

    @Override
    public T join() {
        spinUntilDone();
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        spinUntilDone();
        return super.get();
    }

    private void spinUntilDone() {
        if (isDone()) {
            return;
        }
        long end = System.nanoTime() + SPIN_NANOS;
        int spins = 0;
        while (!isDone() && System.nanoTime() - end < 0) {
            // See ConnectionWorker.take: an occasional yield keeps two spinners on one core from starving each other.
            if ((++spins & 63) == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
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
