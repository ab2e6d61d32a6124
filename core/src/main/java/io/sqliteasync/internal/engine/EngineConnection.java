package io.sqliteasync.internal.engine;

import io.sqliteasync.SqlUpdateHook;
import io.sqliteasync.SqliteException;
import java.util.Comparator;
import java.util.function.Supplier;

/**
 * One open SQLite connection of an {@link Engine}. Owned by one worker thread: every method runs on it, except
 * {@link #interrupt()}. Every failure is a {@link SqliteException} with SQLite's primary and extended result codes.
 * A method that needs a {@link Capability} the engine lacks fails with a {@code SqliteException} naming it.
 *
 * <p>Callbacks (functions, collations, hooks, the busy and progress handlers) are called by the engine on the
 * worker thread, inside the statement that triggered them. They receive and return storage values only
 * ({@code Long}, {@code Double}, {@code String}, {@code byte[]}, {@code null}); the worker wraps the user's callback
 * (context, async results, codecs, error recording) before it hands it to the engine.
 */
public interface EngineConnection extends AutoCloseable {
    /**
     * The engine this connection belongs to.
     *
     * @return the engine
     */
    Engine engine();

    /**
     * Prepares exactly one statement.
     *
     * @param sql one statement; the worker has already refused text with NUL characters, several statements or none
     * @return the statement, owned by the caller until it closes it
     */
    EngineStatement prepare(String sql);

    /**
     * Runs a script of any number of statements without parameters, rows discarded ({@code sqlite3_exec}). Stops at
     * the first failing statement; those before it stay applied.
     *
     * @param script the SQL text
     */
    void exec(String script);

    /**
     * Rows changed by the most recent statement that changed rows ({@code sqlite3_changes64}).
     *
     * @return the count
     */
    long changes();

    /**
     * Rows changed since the connection opened ({@code sqlite3_total_changes64}).
     *
     * @return the count
     */
    long totalChanges();

    /**
     * The rowid of the most recent successful insert ({@code sqlite3_last_insert_rowid}).
     *
     * @return the rowid, 0 if none
     */
    long lastInsertRowid();

    /**
     * Whether a transaction is open ({@code !sqlite3_get_autocommit}). Needs
     * {@link Capability#TRANSACTION_STATE}; without it the worker finds out itself.
     *
     * @return {@code true} inside a transaction
     */
    boolean inTransaction();

    /**
     * Makes the statement running now stop with {@code SQLITE_INTERRUPT} ({@code sqlite3_interrupt}). The one
     * method any thread may call. Needs {@link Capability#INTERRUPT}.
     */
    void interrupt();

    /**
     * Sets or clears the progress handler. Needs {@link Capability#PROGRESS_HANDLER}.
     *
     * @param steps virtual machine steps between calls
     * @param handler returns {@code true} to stop the running statement with {@code SQLITE_INTERRUPT};
     *     {@code null} clears
     */
    void setProgressHandler(int steps, ProgressHandler handler);

    /**
     * Sets the busy timeout, replacing any busy handler.
     *
     * @param millis how long to retry a locked database
     */
    void setBusyTimeout(int millis);

    /**
     * Sets a busy handler, replacing the busy timeout. Needs {@link Capability#BUSY_HANDLER}.
     *
     * @param handler the handler
     */
    void setBusyHandler(BusyHandler handler);

    /**
     * Registers a scalar function. Needs {@link Capability#USER_FUNCTIONS}.
     *
     * @param name the SQL name
     * @param nArgs the argument count, -1 for any
     * @param deterministic whether equal arguments always give equal results
     * @param function the function
     */
    void createFunction(String name, int nArgs, boolean deterministic, ScalarFunction function);

    /**
     * Registers an aggregate function. Needs {@link Capability#USER_FUNCTIONS}.
     *
     * @param name the SQL name
     * @param nArgs the argument count, -1 for any
     * @param factory makes the state of one group; only {@code step} and {@code finish} are called
     */
    void createAggregate(String name, int nArgs, Supplier<? extends AggregateFunction> factory);

    /**
     * Registers an aggregate window function. Needs {@link Capability#USER_FUNCTIONS}.
     *
     * @param name the SQL name
     * @param nArgs the argument count, -1 for any
     * @param factory makes the state of one window
     */
    void createWindow(String name, int nArgs, Supplier<? extends AggregateFunction> factory);

    /**
     * Registers a collation. Needs {@link Capability#COLLATIONS}.
     *
     * @param name the collation name
     * @param collation the order
     */
    void createCollation(String name, Comparator<String> collation);

    /**
     * Sets or clears the update hook. Needs {@link Capability#HOOKS}.
     *
     * @param listener the hook, or {@code null} to clear it
     */
    void setUpdateListener(UpdateListener listener);

    /**
     * Adds a commit/rollback listener; several may be registered. Needs {@link Capability#HOOKS}.
     *
     * @param listener the listener
     */
    void addTransactionListener(TransactionListener listener);

    /**
     * Removes a listener added with {@link #addTransactionListener}.
     *
     * @param listener the listener
     */
    void removeTransactionListener(TransactionListener listener);

    /**
     * Copies schema {@code schema} of this connection into a new database file, {@code pagesPerStep} pages per
     * {@code sqlite3_backup_step}, calling {@code observer} on this thread after every step that copied pages. Between
     * two steps this connection is free for other statements (reads and writes through it update the copy; a write
     * by another connection makes SQLite restart the copy). Needs {@link Capability#BACKUP}.
     *
     * @param schema the schema to copy, {@code main} usually
     * @param destination the file to write; created or overwritten
     * @param pagesPerStep pages per step, at least 1
     * @param observer told of each step; returning {@code true} asks the engine to stop (see {@link StepObserver})
     * @return {@code true} when the copy is complete; {@code false} when the observer stopped it first (the
     *     destination then holds no committed copy)
     * @throws SqliteException when the copy failed
     */
    default boolean backup(String schema, String destination, int pagesPerStep, StepObserver observer) {
        throw missing(Capability.BACKUP, "backup");
    }

    /**
     * Replaces schema {@code schema} of this connection by the content of a database file, the other way round from
     * {@link #backup}. The observer cannot stop a restore (its answer is ignored), and nothing else may use this
     * connection until it returns: the connection is the destination. The replacement commits at the end, at once,
     * or not at all. Needs {@link Capability#BACKUP}.
     *
     * @param schema the schema to replace
     * @param source the database file to read
     * @param pagesPerStep pages per step, at least 1
     * @param observer told of each step
     * @throws SqliteException when the file cannot be read or is not a database; the schema is then unchanged
     */
    default void restore(String schema, String source, int pagesPerStep, StepObserver observer) {
        throw missing(Capability.BACKUP, "restore");
    }

    /**
     * The content of a schema as the bytes of a database file ({@code sqlite3_serialize}). Needs
     * {@link Capability#SERIALIZE}.
     *
     * @param schema the schema
     * @return the bytes
     */
    default byte[] serialize(String schema) {
        throw missing(Capability.SERIALIZE, "serialize");
    }

    /**
     * Replaces a schema by an in-memory database holding {@code data} ({@code sqlite3_deserialize}): the schema is
     * no longer backed by its file afterwards. Needs {@link Capability#SERIALIZE}.
     *
     * @param schema the schema
     * @param data the bytes of a database file
     */
    default void deserialize(String schema, byte[] data) {
        throw missing(Capability.SERIALIZE, "deserialize");
    }

    /**
     * The failure of a method whose capability this engine lacks (an engine that has it overrides the method).
     *
     * @param capability the capability
     * @param what the operation
     * @return the exception to throw
     */
    private SqliteException missing(Capability capability, String what) {
        engine().capabilities().require(capability, what);
        return new SqliteException(what + " is not implemented by the " + engine() + " engine",
                SqliteException.SQLITE_MISUSE, null, null);
    }

    /**
     * The SQLite library version.
     *
     * @return for example {@code 3.53.2}
     */
    String libraryVersion();

    /**
     * The engine's own object of a type, such as the raw {@code java.sql.Connection} that {@code AsyncConnection.run}
     * hands to users (needs {@link Capability#JDBC_CONNECTION}).
     *
     * @param type the type wanted
     * @param <T> the type
     * @return the object; valid only on the worker thread
     * @throws SqliteException naming the capability when the engine has no such object
     */
    <T> T unwrap(Class<T> type);

    /**
     * Whether the native handle (or the remote session) is released.
     *
     * @return {@code true} once closed
     */
    boolean isClosed();

    /**
     * Finalizes every statement the engine still tracks and releases the native handle, always: a statement that
     * fails to finalize does not keep the handle open.
     *
     * @throws SqliteException after the handle is released, if something failed on the way
     */
    @Override
    void close();

    /** A scalar function over storage values. */
    @FunctionalInterface
    interface ScalarFunction {
        /**
         * Computes the result.
         *
         * @param args storage values
         * @return a storage value
         * @throws Exception to fail the statement; the message reaches SQLite
         */
        Object apply(Object[] args) throws Exception;
    }

    /** The state of one group (aggregate) or window (window function), over storage values. */
    interface AggregateFunction {
        /**
         * Adds a row.
         *
         * @param args storage values
         * @throws Exception to fail the statement
         */
        void step(Object[] args) throws Exception;

        /**
         * Removes a row leaving the window.
         *
         * @param args storage values
         * @throws Exception to fail the statement
         */
        void inverse(Object[] args) throws Exception;

        /**
         * The current value of the window.
         *
         * @return a storage value
         * @throws Exception to fail the statement
         */
        Object value() throws Exception;

        /**
         * The final value.
         *
         * @return a storage value
         * @throws Exception to fail the statement
         */
        Object finish() throws Exception;
    }

    /** The update hook. */
    @FunctionalInterface
    interface UpdateListener {
        /**
         * One row changed.
         *
         * @param kind insert, update or delete
         * @param database the schema
         * @param table the table
         * @param rowid the rowid
         */
        void onUpdate(SqlUpdateHook.Kind kind, String database, String table, long rowid);
    }

    /** Commit and rollback hooks. */
    interface TransactionListener {
        /** A transaction committed. */
        void onCommit();

        /** A transaction rolled back. */
        void onRollback();
    }

    /** The busy handler. */
    @FunctionalInterface
    interface BusyHandler {
        /**
         * Decides whether to retry.
         *
         * @param attempts how many times the handler was called for this lock
         * @return {@code true} to retry, {@code false} to fail with {@code SQLITE_BUSY}
         */
        boolean retry(int attempts);
    }

    /** Told of each step of a {@link #backup} or {@link #restore}, on the thread that runs it. */
    @FunctionalInterface
    interface StepObserver {
        /**
         * One step copied pages. The connection may be used from here (for a backup, not for a restore).
         *
         * @param remaining pages still to copy
         * @param pageCount pages in the source now
         * @return {@code true} to stop the backup: it stops before its next step when the engine can take a write
         *     lock on the source for a moment, otherwise it runs to its end and the caller throws the copy away
         */
        boolean step(int remaining, int pageCount);
    }

    /** The progress handler. */
    @FunctionalInterface
    interface ProgressHandler {
        /**
         * Called every few virtual machine steps.
         *
         * @return {@code true} to stop the running statement
         */
        boolean interrupt();
    }
}
