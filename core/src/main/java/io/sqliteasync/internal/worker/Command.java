package io.sqliteasync.internal.worker;

/**
 * A message to a connection's worker thread. Each carries the future it completes.
 */
sealed interface Command permits Command.Call, Command.Close {

    /**
     * Runs a job against the session and completes {@code future} with its result or failure.
     *
     * @param job the work
     * @param future its reply channel
     * @param sql the SQL the job runs, for error messages, or {@code null}
     * @param deadline absolute {@link System#nanoTime()} deadline, or 0 for none
     * @param context the caller's context, installed while the job runs
     * @param abandoned says, when it returns {@code true}, that whoever made the call no longer wants it (the
     *     transaction it belongs to is rolling back), so SQLite is stopped as for a cancel; or {@code null}
     * @param gated whether the call waits while the connection is held exclusively by a transaction (a plain call
     *     of the connection's own API); the transaction's calls, cursor fetches and internal work are not gated
     */
    record Call<T>(Job<T> job, SqliteFuture<T> future, String sql, long deadline, CallContext context,
            java.util.function.BooleanSupplier abandoned, boolean gated) implements Command {
    }

    /** Closes the session and stops the worker after everything queued before it. */
    record Close() implements Command {
    }
}
