package io.sqliteasync;

/**
 * Told of every call made on an {@link AsyncConnection} or a {@link Database} and on the handles and views they hand
 * out ({@link Transaction}, {@link Snapshot}, the blocking views, cursors and streams): when the call was made, when
 * it started on a worker thread, when it ended and how. The hook behind metrics and tracing (the
 * {@code sqlite-async-micrometer} module implements it); core itself depends on no metrics library.
 *
 * <p>Set one with {@link ConnectionOptions.Builder#listener(CallListener)} or
 * {@link DatabaseOptions.Builder#listener(CallListener)}, or add one to an open client with
 * {@link AsyncConnection#addListener(CallListener)} or {@link Database#addListener(CallListener)}.
 *
 * <p><b>One call, three callbacks.</b> For each call, {@link #onSubmit} runs first, then {@link #onStart} at most
 * once (never for a call that ended before it reached a worker: refused, cancelled or timed out while it waited),
 * then {@link #onEnd} exactly once. They may run on three different threads, each after the previous one returned
 * (a happens-before edge links them), never concurrently for one call; callbacks of different calls run
 * concurrently. Whatever {@code onSubmit} returns is handed back to the other two, so a listener can carry its own
 * per-call state (a timer sample, an observation) without a map.
 *
 * <p><b>Threads.</b> {@code onSubmit} runs on the thread that makes the call (for a stream, the thread that
 * subscribes), before anything is queued. {@code onStart} runs on the connection's worker thread, just before the
 * statement runs. {@code onEnd} runs on the thread that completes the call: usually the worker, or the
 * {@linkplain ConnectionOptions#completionExecutor() completion executor}, or the thread that cancelled it, or the
 * pool's timer thread for a wait that timed out; for a stream, the thread that delivered its last signal or cancelled
 * it. For a call that returns a future, {@code onEnd} has returned before that future completes.
 *
 * <p><b>Rules.</b> Callbacks must be quick and must not block: {@code onStart} runs on the worker, in front of the
 * statement, and {@code onEnd} usually there too. They must not call the client they observe. An exception thrown by
 * a callback is caught and logged ({@link System.Logger}, logger {@code io.sqliteasync.CallListener}); it never fails
 * the call.
 *
 * <p><b>Cost.</b> With no listener a call pays one null check. With listeners, each call allocates one
 * {@link CallEvent}, reads the clock three times, and for calls that return a future, one more future that
 * completes after {@code onEnd}.
 */
public interface CallListener {

    /**
     * A call was made. Runs on the calling thread before the call is queued; {@link CallEvent#startedNanos()} and
     * what follows are not set yet.
     *
     * @param call the call: its kind, role, SQL and {@link CallEvent#submittedNanos()}
     * @return anything the listener wants back in {@link #onStart} and {@link #onEnd} for this call, or {@code null}
     */
    default Object onSubmit(CallEvent call) {
        return null;
    }

    /**
     * The call reached its worker and is about to run. Runs on the connection's worker thread; must not block.
     *
     * @param call the call, with {@link CallEvent#startedNanos()} set
     * @param context what {@link #onSubmit} returned
     */
    default void onStart(CallEvent call, Object context) {
    }

    /**
     * The call ended: succeeded, failed, was cancelled or timed out, before or after it started. Runs on the thread
     * that completes the call (see the class description), before the call's future completes; must not block.
     *
     * @param call the call, with {@link CallEvent#endedNanos()}, {@link CallEvent#outcome()},
     *     {@link CallEvent#error()} and {@link CallEvent#rows()} set
     * @param context what {@link #onSubmit} returned
     */
    void onEnd(CallEvent call, Object context);
}
