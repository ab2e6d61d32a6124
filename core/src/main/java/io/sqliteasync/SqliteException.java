package io.sqliteasync;

/**
 * A failure reported by SQLite or by this library on behalf of a SQLite call.
 *
 * <p>Carries SQLite's primary result code (for example {@code 19} for {@code SQLITE_CONSTRAINT}), its extended
 * result code (for example {@code 2067} for {@code SQLITE_CONSTRAINT_UNIQUE}) and the SQL text of the command that
 * failed, when there was one. Codes are {@code -1} when the failure did not come from SQLite itself.
 *
 * <p>Futures returned by this library fail with a {@code SqliteException} (wrapped in a
 * {@link java.util.concurrent.CompletionException} by {@code join()}); the {@link BlockingConnection} view throws it
 * directly. A {@code SqliteException} never leaves a connection unusable unless it is a
 * {@link SqliteClosedException}.
 */
public class SqliteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@code SQLITE_ERROR}: generic error, including SQL syntax errors. */
    public static final int SQLITE_ERROR = 1;
    /** {@code SQLITE_BUSY}: the database file is locked by another connection. */
    public static final int SQLITE_BUSY = 5;
    /** {@code SQLITE_LOCKED}: a table is locked by this connection (for example by an active statement). */
    public static final int SQLITE_LOCKED = 6;
    /** {@code SQLITE_READONLY}: attempt to write a read-only database. */
    public static final int SQLITE_READONLY = 8;
    /** {@code SQLITE_INTERRUPT}: the operation was interrupted. */
    public static final int SQLITE_INTERRUPT = 9;
    /** {@code SQLITE_CANTOPEN}: the database file could not be opened. */
    public static final int SQLITE_CANTOPEN = 14;
    /** {@code SQLITE_TOOBIG}: a string or blob exceeds the size limit. */
    public static final int SQLITE_TOOBIG = 18;
    /** {@code SQLITE_CONSTRAINT}: a constraint was violated. */
    public static final int SQLITE_CONSTRAINT = 19;
    /** {@code SQLITE_MISMATCH}: data type mismatch; used here for parameter values of an unsupported type. */
    public static final int SQLITE_MISMATCH = 20;
    /** {@code SQLITE_MISUSE}: the library was used incorrectly. */
    public static final int SQLITE_MISUSE = 21;
    /** {@code SQLITE_RANGE}: parameter index out of range; used here for a wrong number of parameters. */
    public static final int SQLITE_RANGE = 25;
    /** {@code SQLITE_NOTADB}: the file is not a database. */
    public static final int SQLITE_NOTADB = 26;

    /** SQLite's primary result code, or -1. */
    private final int resultCode;
    /** SQLite's extended result code, or -1. */
    private final int extendedResultCode;
    /** The SQL text of the failing command, or null. */
    private final String sql;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, in words
     * @param extendedResultCode SQLite's extended result code, or {@code -1}; the primary code is its low byte
     * @param sql the SQL text of the failing command, or {@code null}
     * @param cause the underlying exception, or {@code null}
     */
    public SqliteException(String message, int extendedResultCode, String sql, Throwable cause) {
        super(withSql(message, sql), cause);
        this.extendedResultCode = extendedResultCode;
        this.resultCode = extendedResultCode < 0 ? -1 : extendedResultCode & 0xff;
        this.sql = sql;
    }

    /**
     * Creates an exception that did not come from SQLite itself.
     *
     * @param message what went wrong, in words
     */
    public SqliteException(String message) {
        this(message, -1, null, null);
    }

    private static String withSql(String message, String sql) {
        if (sql == null) {
            return message;
        }
        String shown = sql.length() > 500 ? sql.substring(0, 500) + "..." : sql;
        return message + " [SQL: " + shown.strip() + "]";
    }

    /**
     * SQLite's primary result code, the low byte of {@link #extendedResultCode()}.
     *
     * @return the primary result code, or {@code -1} if the failure did not come from SQLite
     */
    public int resultCode() {
        return resultCode;
    }

    /**
     * SQLite's extended result code.
     *
     * @return the extended result code, or {@code -1} if the failure did not come from SQLite
     */
    public int extendedResultCode() {
        return extendedResultCode;
    }

    /**
     * The SQL text of the command that failed.
     *
     * @return the SQL text, or {@code null} when the failure was not tied to one statement
     */
    public String sql() {
        return sql;
    }
}
