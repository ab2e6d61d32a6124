package io.sqliteasync.internal.worker;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a caller's thread held when it made a call: the values of the registered thread locals, a Micrometer
 * context-propagation snapshot when that library is present, and the async-callback scope. Captured on the caller's
 * thread, applied on the worker thread while the call runs, and undone afterwards so nothing leaks into the next
 * call.
 */
public final class CallContext {
    /** The registered thread locals; replaced whole on (un)registration, read on every capture. */
    private static volatile ThreadLocal<?>[] registered = new ThreadLocal<?>[0];
    /** Set on the worker thread while it runs a callback of its own, and carried by captured contexts. */
    private static final ThreadLocal<CallbackMark> CALLBACK_OWNER = new ThreadLocal<>();
    private static final MicrometerBridge MICROMETER = MicrometerBridge.load();

    static final CallContext EMPTY = new CallContext(new ThreadLocal<?>[0], null, null, null);

    private final ThreadLocal<?>[] locals;
    private final Object[] values;
    private final Object micrometer;
    private final CallbackMark callbackOwner;

    private CallContext(ThreadLocal<?>[] locals, Object[] values, Object micrometer, CallbackMark callbackOwner) {
        this.locals = locals;
        this.values = values;
        this.micrometer = micrometer;
        this.callbackOwner = callbackOwner;
    }

    /**
     * Registers a thread local whose value travels with every call.
     *
     * @param local the thread local
     */
    public static synchronized void register(ThreadLocal<?> local) {
        Objects.requireNonNull(local, "local");
        for (ThreadLocal<?> l : registered) {
            if (l == local) {
                return;
            }
        }
        ThreadLocal<?>[] next = Arrays.copyOf(registered, registered.length + 1);
        next[registered.length] = local;
        registered = next;
    }

    /**
     * Stops carrying a thread local.
     *
     * @param local the thread local
     */
    public static synchronized void unregister(ThreadLocal<?> local) {
        registered = Arrays.stream(registered).filter(l -> l != local).toArray(ThreadLocal<?>[]::new);
    }

    /**
     * The context that carries nothing: for work the library does on its own behalf, such as a batch of group
     * commit whose calls each install their own.
     *
     * @return the shared empty context
     */
    public static CallContext empty() {
        return EMPTY;
    }

    /**
     * Captures the current thread's context.
     *
     * @return the snapshot; a shared empty one when there is nothing to carry
     */
    public static CallContext capture() {
        ThreadLocal<?>[] locals = registered;
        Object micrometer = MICROMETER == null ? null : MICROMETER.capture();
        CallbackMark owner = CALLBACK_OWNER.get();
        if (locals.length == 0 && micrometer == null && owner == null) {
            return EMPTY;
        }
        Object[] values = new Object[locals.length];
        for (int i = 0; i < locals.length; i++) {
            values[i] = locals[i].get();
        }
        return new CallContext(locals, values, micrometer, owner);
    }

    /**
     * Installs this context on the current thread.
     *
     * @return a scope whose {@code close()} puts back what the thread held before
     */
    public Scope apply() {
        if (this == EMPTY) {
            return Scope.NOOP;
        }
        Object[] previous = new Object[locals.length];
        for (int i = 0; i < locals.length; i++) {
            @SuppressWarnings("unchecked")
            ThreadLocal<Object> l = (ThreadLocal<Object>) locals[i];
            previous[i] = l.get();
            set(l, values[i]);
        }
        AutoCloseable micrometerScope;
        try {
            micrometerScope = micrometer == null ? null : MICROMETER.apply(micrometer);
        } catch (RuntimeException | Error e) {
            // A Micrometer accessor refused its value: the call fails, and the locals set above must not stay on
            // this (worker) thread for later calls.
            restore(locals, previous);
            throw e;
        }
        CallbackMark previousOwner = CALLBACK_OWNER.get();
        set(CALLBACK_OWNER, callbackOwner);
        return () -> {
            set(CALLBACK_OWNER, previousOwner);
            if (micrometerScope != null) {
                try {
                    micrometerScope.close();
                } catch (Exception ignored) {
                    // Micrometer scopes only restore thread locals; they do not fail.
                }
            }
            restore(locals, previous);
        };
    }

    private static void restore(ThreadLocal<?>[] locals, Object[] previous) {
        for (int i = 0; i < locals.length; i++) {
            @SuppressWarnings("unchecked")
            ThreadLocal<Object> l = (ThreadLocal<Object>) locals[i];
            set(l, previous[i]);
        }
    }

    private static <T> void set(ThreadLocal<T> l, T value) {
        if (value == null) {
            l.remove();
        } else {
            l.set(value);
        }
    }

    /**
     * This context, carrying the callback mark of {@code other} when it has none of its own: a context captured
     * where no callback runs (the thread completing an earlier stage) for a task handed over through an executor
     * that was wrapped inside a callback. Any thread.
     *
     * @param other a context captured earlier, inside a callback or not
     * @return this, or a copy with {@code other}'s callback mark
     */
    public CallContext orCallbackOf(CallContext other) {
        if (callbackOwner != null || other.callbackOwner == null) {
            return this;
        }
        return new CallContext(locals, values, micrometer, other.callbackOwner);
    }

    /**
     * Whether this context was captured inside an async callback of {@code worker} that is still in progress: a call
     * made with it can only run after that callback ends, so it is refused at once rather than risk the callback
     * waiting for it.
     */
    boolean insideCallbackOf(ConnectionWorker worker) {
        CallbackMark m = callbackOwner;
        return m != null && m.worker == worker && m.active;
    }

    static CallbackMark enterCallback(CallbackMark mark) {
        CallbackMark previous = CALLBACK_OWNER.get();
        CALLBACK_OWNER.set(mark);
        return previous;
    }

    static void exitCallback(CallbackMark previous) {
        set(CALLBACK_OWNER, previous);
    }

    /**
     * One invocation of a callback on a worker: carried by every context captured while it runs (on the worker, or
     * on a thread where such a context was applied), and ended when the invocation returns, so that a context that
     * outlives the callback no longer marks calls as made from inside it.
     */
    static final class CallbackMark {
        final ConnectionWorker worker;
        /** Cleared by the worker when the invocation ends; read by submitters on any thread. */
        volatile boolean active = true;

        CallbackMark(ConnectionWorker worker) {
            this.worker = worker;
        }
    }

    /** Undoes an {@link #apply()}. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        /** A scope that restores nothing. */
        Scope NOOP = () -> { };

        @Override
        void close();
    }
}
