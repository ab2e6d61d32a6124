package io.sqliteasync;

import io.sqliteasync.internal.worker.CallContext;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

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
     * inside an async callback to another executor. The context includes the callback's identity: while that
     * callback is in progress, a call that the task makes back into the callback's own connection fails at once with
     * {@link SqliteDeadlockException} instead of hanging until the callback's deadline (such a call could only run
     * after the callback ends). Once the callback has ended, the task's calls queue as usual.
     *
     * <p>The wrapper may run on any thread, any number of times; each run installs the context and restores what the
     * thread held before when the task returns or throws.
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
     * Wraps a supplier so that it runs with the context of the thread calling this method, as
     * {@link #wrap(Runnable)} does; for {@code CompletableFuture.supplyAsync(ContextPropagation.wrapSupplier(() ->
     * ...))} from inside an async callback, on the common pool or any executor. (A separate name, not a
     * {@code wrap} overload: beside {@code wrap(Runnable)} an overload would turn {@code wrap(() -> f.complete(x))}
     * into a supplier, and beside a {@code Callable} overload every such lambda would be ambiguous.)
     *
     * @param supplier the supplier
     * @param <T> the result type
     * @return a supplier that installs the captured context around {@code supplier} on whichever thread calls it
     */
    public static <T> Supplier<T> wrapSupplier(Supplier<T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        CallContext context = CallContext.capture();
        return () -> {
            try (CallContext.Scope ignored = context.apply()) {
                return supplier.get();
            }
        };
    }

    /**
     * Wraps a callable so that it runs with the context of the thread calling this method, as
     * {@link #wrap(Runnable)} does; for {@code ExecutorService.submit} from inside an async callback. See
     * {@link #wrapSupplier(Supplier)} for why it is not named {@code wrap}.
     *
     * @param callable the callable
     * @param <T> the result type
     * @return a callable that installs the captured context around {@code callable} on whichever thread calls it;
     *     it throws what {@code callable} throws
     */
    public static <T> Callable<T> wrapCallable(Callable<T> callable) {
        Objects.requireNonNull(callable, "callable");
        CallContext context = CallContext.capture();
        return () -> {
            try (CallContext.Scope ignored = context.apply()) {
                return callable.call();
            }
        };
    }

    /**
     * Wraps an executor so that every task runs with the context of the thread that submitted it. An executor
     * wrapped inside an async callback also carries that callback's identity to tasks submitted from threads outside
     * any callback (a stage of {@code thenApplyAsync(fn, executor)} submitted by the thread that completed an HTTP
     * response, for example), so that their calls back into the callback's connection fail at once while the
     * callback is in progress, as for {@link #wrap(Runnable)}.
     *
     * <p>{@code execute} may be called from any thread; the tasks run on the wrapped executor's threads.
     *
     * @param executor the executor
     * @return the wrapping executor
     */
    public static Executor wrap(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        CallContext atWrap = CallContext.capture();
        return task -> {
            Objects.requireNonNull(task, "task");
            CallContext context = CallContext.capture().orCallbackOf(atWrap);
            executor.execute(() -> {
                try (CallContext.Scope ignored = context.apply()) {
                    task.run();
                }
            });
        };
    }
}
