package io.sqliteasync.internal.engine;

/**
 * Something an {@link Engine} may or may not be able to do. The worker asks {@link Capabilities#require} before it
 * relies on one, so that a missing capability fails with a {@link io.sqliteasync.SqliteException} that names it
 * instead of a vague error from deep inside the engine.
 */
public enum Capability {
    /** Scalar, aggregate and window functions written in Java ({@code sqlite3_create_function}). */
    USER_FUNCTIONS,
    /** Collations written in Java ({@code sqlite3_create_collation}). */
    COLLATIONS,
    /** Update, commit and rollback hooks. */
    HOOKS,
    /** A busy handler written in Java ({@code sqlite3_busy_handler}); a busy timeout is always available. */
    BUSY_HANDLER,
    /** A progress handler ({@code sqlite3_progress_handler}): what stops a running call at cancel or deadline. */
    PROGRESS_HANDLER,
    /**
     * The engine calls the progress handler on the worker thread while it waits for a remote answer (every few
     * milliseconds rather than every few VM steps), so cancellation and deadlines stop a call; without
     * {@link #PROGRESS_HANDLER} a user progress handler is still unavailable.
     */
    STOP_CHECK,
    /** {@code sqlite3_interrupt} from another thread. */
    INTERRUPT,
    /** Online backup to and restore from a file. */
    BACKUP,
    /** {@code sqlite3_load_extension}. */
    LOAD_EXTENSION,
    /** A raw {@code java.sql.Connection} for {@code AsyncConnection.run} and {@code Database} initializers. */
    JDBC_CONNECTION,
    /** {@code sqlite3_serialize} / {@code sqlite3_deserialize}. */
    SERIALIZE,
    /**
     * The engine reports whether a transaction is open ({@code sqlite3_get_autocommit}, or its own tracking) and
     * tells {@link EngineConnection#addTransactionListener transaction listeners} of the commits and rollbacks it
     * sees; otherwise the worker probes.
     */
    TRANSACTION_STATE,
    /** The engine reports whether a statement is read-only ({@code sqlite3_stmt_readonly}). */
    STATEMENT_READONLY
}
