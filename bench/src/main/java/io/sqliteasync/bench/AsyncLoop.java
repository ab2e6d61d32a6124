package io.sqliteasync.bench;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Repeats an asynchronous step while it answers {@code true}, without blocking and without growing the stack: a step
 * whose future is already complete (a call that ran inline on the worker) is followed in a plain loop, and only an
 * incomplete one resumes from its completion callback.
 */
final class AsyncLoop {
    private AsyncLoop() {
    }

    /**
     * Runs the loop.
     *
     * @param step one iteration; its future completes with whether to go on
     * @return a future completed, on whichever thread completed the last step, when a step answers {@code false}
     *     or fails
     */
    static CompletableFuture<Void> whileTrue(Supplier<CompletableFuture<Boolean>> step) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        resume(step, done);
        return done;
    }

    private static void resume(Supplier<CompletableFuture<Boolean>> step, CompletableFuture<Void> done) {
        for (;;) {
            CompletableFuture<Boolean> f;
            try {
                f = step.get();
            } catch (Throwable t) {
                done.completeExceptionally(t);
                return;
            }
            if (!f.isDone()) {
                f.whenComplete((more, t) -> {
                    if (t != null) {
                        done.completeExceptionally(t);
                    } else if (more) {
                        resume(step, done);
                    } else {
                        done.complete(null);
                    }
                });
                return;
            }
            if (f.isCompletedExceptionally()) {
                f.whenComplete((more, t) -> done.completeExceptionally(t));
                return;
            }
            if (!f.join()) {
                done.complete(null);
                return;
            }
        }
    }
}
