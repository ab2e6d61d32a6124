package io.sqliteasync;

import io.sqliteasync.internal.worker.CallContext;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Carries the caller's context to the worker thread. When a call is made, the values of the registered thread locals
 * (and, when {@code io.micrometer:context-propagation} is on the class path, a snapshot of every Micrometer
 * {@code ThreadLocalAccessor}: SLF4J MDC, tracing, ...) are captured on the calling thread. The worker installs
 * them while the call runs, including around the callbacks it invokes, and restores what it held before afterwards,
 * so nothing leaks into the next call.
 *
 * <p>Registration is global and thread-safe. With nothing registered and Micrometer absent, capturing costs one
 * volatile read per call.
 */
public final class ContextPropagation {
    private ContextPropagation() {
    }

    /**
     * Carries a thread local's value with every call made from now on. Idempotent.
     *
     * @param local the thread local
     */
    public static void register(ThreadLocal<?> local) {
        CallContext.register(local);
    }

    /**
     * Stops carrying a thread local.
     *
     * @param local the thread local
     */
    public static void unregister(ThreadLocal<?> local) {
        CallContext.unregister(local);
    }

    /**
     * Wraps a task so that it runs with the context of the thread calling this method, for example to hand work from
     * inside an async callback to another executor. The context includes the callback's identity, so a call that
     * such a task makes back into the callback's own connection fails at once with
     * {@link SqliteDeadlockException} instead of hanging.
     *
     * @param task the task
     * @return a task that installs the captured context around {@code task}
     */
    public static Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        CallContext context = CallContext.capture();
        return () -> {
            try (CallContext.Scope ignored = context.apply()) {
                task.run();
            }
        };
    }

    /**
     * Wraps an executor so that every task runs with the context of the thread that submitted it.
     *
     * @param executor the executor
     * @return the wrapping executor
     */
    public static Executor wrap(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return task -> executor.execute(wrap(task));
    }
}
