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
}
