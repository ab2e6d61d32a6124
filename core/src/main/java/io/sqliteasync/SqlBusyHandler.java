package io.sqliteasync;

/**
 * Decides whether to retry when another connection holds a lock ({@code sqlite3_busy_handler}). Registered with
 * {@link AsyncConnection#setBusyHandler}; it replaces the busy timeout while set. Runs on the worker thread.
 */
@FunctionalInterface
public interface SqlBusyHandler {
    /**
     * Called each time a lock is found busy.
     *
     * @param attempts how many times the handler was already called for this lock
     * @return {@code true} to try again, {@code false} to fail with {@link SqliteBusyException}; or a
     *     {@code CompletionStage} of that answer (for example a delay)
     * @throws Exception to fail the statement
     */
    Object onBusy(int attempts) throws Exception;
}
