package io.sqliteasync;

import java.sql.Connection;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The blocking view of an {@link AsyncConnection}: the query surface of {@link BlockingSqlClient}, plus transactions
 * whose body runs on the calling thread, {@link #run}, and the raw transaction controls. Called on the worker thread
 * itself (inside {@code run}), calls run inline.
 */
public final class BlockingConnection extends BlockingSqlClient {
    private final AsyncConnection async;

    BlockingConnection(AsyncConnection async) {
        super(async, async.options().prefetch());
        this.async = async;
    }

    /**
     * The asynchronous connection behind this view.
     *
     * @return the connection
     */
    @Override
    public AsyncConnection async() {
        return async;
    }

    /**
     * Runs {@code body} on this thread in a {@code BEGIN IMMEDIATE} transaction; see
     * {@link #transaction(TransactionMode, SqlFunction)}.
     *
     * @param body the work
     * @param <T> the result type
     * @return what the body returned, once committed
     */
    public <T> T transaction(SqlFunction<? super BlockingTransaction, T> body) {
        return transaction(TransactionMode.IMMEDIATE, body);
    }

    /**
     * Waits its turn for the connection, begins a transaction with exclusive use of it (see
     * {@link AsyncConnection#begin(TransactionMode)}), runs {@code body} on this thread with the transaction's
     * blocking handle, then commits; rolls back when the body throws. While the body runs, a call on the connection
     * itself (not through the handle) fails at once with {@link SqliteDeadlockException}.
     *
     * @param mode how to begin
     * @param body the work; nested {@link BlockingTransaction#transaction} calls become savepoints
     * @param <T> the result type
     * @return what the body returned, once committed
     * @throws SqliteException for a failed begin or commit; what the body threw is rethrown as is (a checked exception
     *     wrapped in a {@link SqliteException}) after the rollback
     */
    public <T> T transaction(TransactionMode mode, SqlFunction<? super BlockingTransaction, T> body) {
        Objects.requireNonNull(body, "body");
        Transaction tx = await(async.begin(mode));
        return inTransaction(tx, tx.blocking(), body);
    }

    /**
     * Begins a transaction with exclusive use of the connection and returns its blocking handle; end it with
     * {@link BlockingTransaction#commit()} or {@link BlockingTransaction#rollback()}, or close it
     * (try-with-resources) to roll back.
     *
     * @param mode how to begin
     * @return the handle, once the transaction began
     */
    public BlockingTransaction begin(TransactionMode mode) {
        return await(async.begin(mode)).blocking();
    }

    /**
     * Begins a {@code BEGIN IMMEDIATE} transaction; see {@link #begin(TransactionMode)}.
     *
     * @return the handle, once the transaction began
     */
    public BlockingTransaction begin() {
        return begin(TransactionMode.IMMEDIATE);
    }

    /** Commits a transaction opened with raw SQL; does nothing when none is open. See {@link AsyncConnection#commit()}. */
    public void commit() {
        await(async.commit());
    }

    /** Rolls back a transaction opened with raw SQL; does nothing when none is open. */
    public void rollback() {
        await(async.rollback());
    }

    /**
     * Whether a transaction is open.
     *
     * @return {@code true} inside a transaction
     */
    public boolean isInTransaction() {
        return await(async.isInTransaction());
    }

    /**
     * Runs a function with the raw JDBC connection on the worker thread; see {@link AsyncConnection#run}.
     *
     * @param fn the function
     * @param <T> the result type
     * @return its result
     */
    public <T> T run(SqlFunction<Connection, T> fn) {
        return await(async.run(fn));
    }

    /**
     * Stops the call running on the connection now; see {@link AsyncConnection#interrupt()}. Never waits: call it
     * from another thread than the one blocked in the call.
     *
     * @return whether a call was running to interrupt
     */
    public boolean interrupt() {
        return async.interrupt();
    }

    /**
     * Sets or removes the progress handler; see {@link AsyncConnection#setProgressHandler}.
     *
     * @param steps VM steps between calls, at least 1
     * @param handler the handler, run on the worker thread, or {@code null} to remove it
     */
    public void setProgressHandler(int steps, SqlProgressHandler handler) {
        await(async.setProgressHandler(steps, handler));
    }

    /**
     * Rows changed by the most recent INSERT, UPDATE or DELETE; see {@link AsyncConnection#changes()}.
     *
     * @return the count
     */
    public long changes() {
        return await(async.changes());
    }

    /**
     * Rows changed since the connection opened; see {@link AsyncConnection#totalChanges()}.
     *
     * @return the count
     */
    public long totalChanges() {
        return await(async.totalChanges());
    }

    /**
     * The rowid of the most recent successful INSERT; see {@link AsyncConnection#lastInsertRowid()}.
     *
     * @return the rowid, 0 before any insert
     */
    public long lastInsertRowid() {
        return await(async.lastInsertRowid());
    }

    /**
     * The SQLite library version; see {@link AsyncConnection#sqliteVersion()}.
     *
     * @return for example {@code 3.53.2}
     */
    public String sqliteVersion() {
        return await(async.sqliteVersion());
    }

    /**
     * The options SQLite was compiled with; see {@link AsyncConnection#compileOptions()}.
     *
     * @return the options, without the {@code SQLITE_} prefix
     */
    public java.util.List<String> compileOptions() {
        return await(async.compileOptions());
    }

    /** Closes the connection, waiting for queued commands; see {@link AsyncConnection#close()}. */
    public void close() {
        async.close();
    }

    /**
     * Dumps this connection's database as SQL text, handing each statement to {@code statements} on this thread, in
     * order; see {@link AsyncConnection#dump(DumpOptions)}. The defaults dump the whole {@code main} schema.
     *
     * @param statements takes one complete statement (ending with {@code ;}) at a time, for example to write it to
     *     a file followed by a line break
     * @throws SqliteException what the dump failed with; what {@code statements} throws is rethrown after the dump
     *     was stopped (its read transaction then ends)
     */
    public void dump(java.util.function.Consumer<? super String> statements) {
        dump(DumpOptions.defaults(), statements);
    }

    /**
     * Dumps this connection's database as SQL text with the given options, handing each statement to
     * {@code statements} on this thread, in order; see {@link AsyncConnection#dump(DumpOptions)}. The calling thread
     * asks for one statement at a time and only waits in between; rows are read ahead of it by at most
     * {@link ConnectionOptions#prefetch()}.
     *
     * @param options which schema and tables, whether rowids are kept
     * @param statements takes one complete statement at a time
     * @throws SqliteException what the dump failed with; what {@code statements} throws is rethrown after the dump
     *     was stopped
     */
    public void dump(DumpOptions options, java.util.function.Consumer<? super String> statements) {
        io.sqliteasync.internal.dump.BlockingDump.run(async.dump(options), statements);
    }

    /**
     * Copies the database, online, to a file and waits for it; see {@link AsyncConnection#backup(Path, BackupOptions)}.
     *
     * @param target the backup file; replaced once the copy is complete
     * @return the last progress report
     */
    public BackupProgress backup(Path target) {
        return await(async.backup(target));
    }

    /**
     * Copies the database, online, to a file and waits for it; see {@link AsyncConnection#backup(Path, BackupOptions)}.
     *
     * @param target the backup file; replaced once the copy is complete
     * @param options pages per step, pause, listener, schema
     * @return the last progress report
     */
    public BackupProgress backup(Path target, BackupOptions options) {
        return await(async.backup(target, options));
    }

    /**
     * Replaces the content of the database by that of a database file and waits; see
     * {@link AsyncConnection#restore(Path, BackupOptions)}.
     *
     * @param source the database file
     * @return the last progress report
     */
    public BackupProgress restore(Path source) {
        return await(async.restore(source));
    }

    /**
     * Replaces the content of the database by that of a database file and waits; see
     * {@link AsyncConnection#restore(Path, BackupOptions)}.
     *
     * @param source the database file
     * @param options schema, pages per step, listener
     * @return the last progress report
     */
    public BackupProgress restore(Path source, BackupOptions options) {
        return await(async.restore(source, options));
    }

    /**
     * Writes a compacted copy to a new file with {@code VACUUM INTO} and waits; see {@link AsyncConnection#vacuumInto(Path)}.
     *
     * @param target the new file; it must not exist
     */
    public void vacuumInto(Path target) {
        await(async.vacuumInto(target));
    }

    /**
     * The database as the bytes of a database file; see {@link AsyncConnection#serialize()}.
     *
     * @return the bytes
     */
    public byte[] serialize() {
        return await(async.serialize());
    }

    /**
     * Replaces the content of the database by the database in {@code data} and waits; see
     * {@link AsyncConnection#deserialize(byte[])}.
     *
     * @param data the bytes of a database file
     */
    public void deserialize(byte[] data) {
        await(async.deserialize(data));
    }

    /**
     * A schema as the bytes of a database file; see {@link AsyncConnection#serialize(String)}.
     *
     * @param schema the schema
     * @return the bytes
     */
    public byte[] serialize(String schema) {
        return await(async.serialize(schema));
    }

    /**
     * Replaces a schema by the database in {@code data} and waits; see {@link AsyncConnection#deserialize(String, byte[])}.
     *
     * @param schema the schema
     * @param data the bytes of a database file
     */
    public void deserialize(String schema, byte[] data) {
        await(async.deserialize(schema, data));
    }

    /**
     * Copies this database into another open connection, replacing its content, and waits; see
     * {@link AsyncConnection#backupTo(AsyncConnection, BackupOptions)}.
     *
     * @param target the connection whose content is replaced
     * @param options pages per step, pause, listener, schema
     * @return the backup's last progress report
     */
    public BackupProgress backupTo(AsyncConnection target, BackupOptions options) {
        return await(async.backupTo(target, options));
    }
}
