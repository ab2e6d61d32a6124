package io.sqliteasync;

/**
 * SQLite reported {@code SQLITE_BUSY} or {@code SQLITE_LOCKED}: another connection (or an active statement of this
 * one) holds a lock that the command needed, and the busy timeout ran out. Retrying later may succeed.
 */
public class SqliteBusyException extends SqliteException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message SQLite's message
     * @param extendedResultCode SQLite's extended result code
     * @param sql the SQL text, or {@code null}
     * @param cause the underlying exception
     */
    public SqliteBusyException(String message, int extendedResultCode, String sql, Throwable cause) {
        super(message, extendedResultCode, sql, cause);
    }
}
