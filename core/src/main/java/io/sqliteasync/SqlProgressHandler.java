package io.sqliteasync;

/**
 * A user progress handler ({@code sqlite3_progress_handler}), set with {@link AsyncConnection#setProgressHandler} or
 * {@link Database#setProgressHandler}. It coexists with the library's own progress handler, which stops cancelled
 * and timed-out calls: SQLite calls the internal handler every {@link ConnectionOptions#progressSteps()} VM steps,
 * and the internal handler calls this one every {@code max(1, steps / progressSteps)} of its ticks, so the number of
 * steps between two calls is {@code steps} rounded down to a multiple of {@code progressSteps} (at least
 * {@code progressSteps}). Set {@link ConnectionOptions#progressSteps()} lower for a finer grain.
 *
 * <p>Runs on the worker thread in the middle of a statement: it must be quick, must not block, and must not call
 * the connection (such a call would run inline, inside the step).
 */
@FunctionalInterface
public interface SqlProgressHandler {
    /**
     * Called every few VM steps while a statement runs.
     *
     * @return {@code true} to stop the running statement, which then fails with a {@link SqliteException} whose
     *     result code is {@link SqliteException#SQLITE_INTERRUPT} (as a non-zero return of SQLite's handler does);
     *     {@code false} to let it go on
     * @throws Exception to stop the statement; it fails with what was thrown as the cause
     */
    boolean onProgress() throws Exception;
}
