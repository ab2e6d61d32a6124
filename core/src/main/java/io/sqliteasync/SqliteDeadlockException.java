package io.sqliteasync;

/**
 * An async callback (a function, collation, hook or busy handler that returned a {@code CompletionStage}) waited for
 * a call to its own connection. The connection's worker is suspended inside the statement that invoked the callback,
 * so such a call could never run. Raised at once when the nested call carries the callback's context (propagated
 * with {@link ContextPropagation}), otherwise when the callback's deadline passes while calls wait in the queue.
 */
public class SqliteDeadlockException extends SqliteException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what would have deadlocked
     * @param sql the SQL text, or {@code null}
     */
    public SqliteDeadlockException(String message, String sql) {
        super(message, SQLITE_MISUSE, sql, null);
    }
}
