package io.sqliteasync;

/**
 * Called on the worker thread when a transaction commits or rolls back ({@code sqlite3_commit_hook},
 * {@code sqlite3_rollback_hook}), including the implicit transaction of each autocommit statement. Registered with
 * {@link AsyncConnection#setCommitHook} or {@link AsyncConnection#setRollbackHook}.
 */
@FunctionalInterface
public interface SqlTransactionHook {
    /**
     * Reports the event.
     *
     * @return {@code null}, or a {@code CompletionStage} the worker waits for
     * @throws Exception to fail the call during which the event happened (the commit or rollback itself stands)
     */
    Object onEvent() throws Exception;
}
