package io.sqliteasync;

/**
 * SQLite reported {@code SQLITE_CONSTRAINT}: the statement would have violated a constraint and changed nothing.
 * {@link #kind()} says which kind of constraint, from SQLite's extended result code.
 */
public class SqliteConstraintException extends SqliteException {
    private static final long serialVersionUID = 1L;

    /** The kind of constraint that was violated. */
    public enum Kind {
        /** A UNIQUE constraint ({@code SQLITE_CONSTRAINT_UNIQUE}). */
        UNIQUE,
        /** A PRIMARY KEY constraint ({@code SQLITE_CONSTRAINT_PRIMARYKEY}). */
        PRIMARY_KEY,
        /** A FOREIGN KEY constraint ({@code SQLITE_CONSTRAINT_FOREIGNKEY}). */
        FOREIGN_KEY,
        /** A NOT NULL constraint ({@code SQLITE_CONSTRAINT_NOTNULL}). */
        NOT_NULL,
        /** A CHECK constraint ({@code SQLITE_CONSTRAINT_CHECK}). */
        CHECK,
        /** Any other constraint (a trigger's RAISE, a rowid, a datatype in a STRICT table, ...). */
        OTHER;

        static Kind of(int extendedResultCode) {
            switch (extendedResultCode) {
                case 2067: return UNIQUE;
                case 1555: return PRIMARY_KEY;
                case 787: return FOREIGN_KEY;
                case 1299: return NOT_NULL;
                case 275: return CHECK;
                default: return OTHER;
            }
        }
    }

    /** The kind of constraint, derived from the extended result code. */
    private final Kind kind;

    /**
     * Creates the exception.
     *
     * @param message SQLite's message
     * @param extendedResultCode SQLite's extended result code, from which the kind is derived
     * @param sql the SQL text, or {@code null}
     * @param cause the underlying exception
     */
    public SqliteConstraintException(String message, int extendedResultCode, String sql, Throwable cause) {
        super(message, extendedResultCode, sql, cause);
        this.kind = Kind.of(extendedResultCode);
    }

    /**
     * Which constraint was violated.
     *
     * @return the kind, never {@code null}
     */
    public Kind kind() {
        return kind;
    }
}
