package io.sqliteasync.internal.worker;

/**
 * Work that runs on a connection's worker thread with its {@link Session}.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface Job<T> {
    /**
     * Runs the work.
     *
     * @param session the connection's session; valid only during the call and only on the worker thread
     * @return the result that completes the call's future
     * @throws Exception any failure; it fails the call's future and leaves the worker running
     */
    T run(Session session) throws Exception;

    /**
     * Releases a result nobody will receive because the call's future was cancelled or timed out while the job ran.
     * Runs on the worker thread or the completion executor. The default does nothing.
     *
     * @param result the unwanted result
     */
    default void discard(T result) {
    }
}
