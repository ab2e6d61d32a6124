package io.sqliteasync;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The blocking view of a {@link Database}: the query surface of {@link BlockingSqlClient}, routed as the database
 * routes it, plus transactions and read scopes whose body runs on the calling thread, {@link #begin()} handles and
 * {@link #checkpoint}. Do not call it from a worker thread (a continuation of a {@link Database} future): waiting there
 * for the pool could deadlock. On the writer's thread a call that cannot complete at once fails with
 * {@link SqliteDeadlockException} instead of waiting for itself.
 *
 * <p>{@link #transaction(SqlFunction)} and {@link #read(SqlFunction)} run their body on the calling thread, between
 * the begin and the end that run on the leased connection; while the body runs the connection is held, so keep it
 * short. While a transaction body runs, a write through the database itself (not through the handle) fails at once
 * with {@link SqliteDeadlockException}. An interrupted waiting thread gets a {@link SqliteException}
 * ({@code SQLITE_INTERRUPT}); a transaction it was waiting for is then rolled back.
 */
public final class BlockingDatabase extends BlockingSqlClient {
    private final Database async;

    BlockingDatabase(Database async) {
        super(async, async.options().prefetch());
        this.async = async;
    }

    /**
     * The asynchronous database behind this view.
     *
     * @return the database
     */
    @Override
    public Database async() {
        return async;
    }

    /**
     * Runs a checkpoint; see {@link Database#checkpoint(CheckpointMode)}.
     *
     * @param mode the kind
     * @return the checkpoint's numbers
     */
    public CheckpointResult checkpoint(CheckpointMode mode) {
        return await(guard(async.checkpoint(mode), true));
    }

    /**
     * Stops whatever runs on every connection now; see {@link Database#interrupt()}. Never waits.
     *
     * @return how many connections had a call running
     */
    public int interrupt() {
        return async.interrupt();
    }

    /**
     * Sets or removes the progress handler of every connection; see {@link Database#setProgressHandler}.
     *
     * @param steps VM steps between calls, at least 1
     * @param handler the handler, or {@code null} to remove it
     */
    public void setProgressHandler(int steps, SqlProgressHandler handler) {
        await(async.setProgressHandler(steps, handler));
    }

    /**
     * Rows changed through this database since it opened; see {@link Database#totalChanges()}.
     *
     * @return the count
     */
    public long totalChanges() {
        return await(guard(async.totalChanges(), true));
    }

    /**
     * The SQLite library version; see {@link Database#sqliteVersion()}.
     *
     * @return for example {@code 3.53.2}
     */
    public String sqliteVersion() {
        return await(guard(async.sqliteVersion(), true));
    }

    /**
     * The options SQLite was compiled with; see {@link Database#compileOptions()}.
     *
     * @return the options, without the {@code SQLITE_} prefix
     */
    public java.util.List<String> compileOptions() {
        return await(guard(async.compileOptions(), true));
    }

    /**
     * Runs {@code body} on this thread inside a {@code BEGIN IMMEDIATE} transaction; see
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
     * Waits for the writer, begins a transaction ({@link Database#begin(TransactionMode)}), runs {@code body} on this
     * thread with the transaction's blocking handle, then commits; rolls back when the body throws. The transaction
     * timeout applies.
     *
     * @param mode how to begin
     * @param body the work; nested {@link BlockingTransaction#transaction} calls become savepoints
     * @param <T> the result type
     * @return what the body returned, once committed
     * @throws SqliteException for a failed begin, commit or timeout; a runtime exception thrown by the body is
     *     rethrown as is after the rollback
     */
    public <T> T transaction(TransactionMode mode, SqlFunction<? super BlockingTransaction, T> body) {
        Objects.requireNonNull(body, "body");
        Transaction tx = await(guard(async.begin(mode), true));
        return inTransaction(tx, tx.blocking(), body);
    }

    /**
     * Waits for the writer and begins a {@code BEGIN IMMEDIATE} transaction; see {@link #begin(TransactionMode)}.
     *
     * @return the handle, once the transaction began
     */
    public BlockingTransaction begin() {
        return begin(TransactionMode.IMMEDIATE);
    }

    /**
     * Waits for the writer, begins a transaction and returns its blocking handle, which holds the writer until
     * {@link BlockingTransaction#commit()}, {@link BlockingTransaction#rollback()}, {@link BlockingTransaction#close()}
     * (use try-with-resources) or the transaction timeout.
     *
     * @param mode how to begin
     * @return the handle, once the transaction began
     */
    public BlockingTransaction begin(TransactionMode mode) {
        return await(guard(async.begin(mode), true)).blocking();
    }

    /**
     * Leases a reader and runs {@code body} on this thread with a consistent snapshot; see
     * {@link Database#read(java.util.function.Function)}.
     *
     * @param body the reads
     * @param <T> the result type
     * @return what the body returned
     */
    public <T> T read(SqlFunction<? super BlockingSnapshot, T> body) {
        Objects.requireNonNull(body, "body");
        return BlockingSqlClient.<Snapshot, T>runBody((handle, stage) -> guard(async.read(s -> {
            handle.complete(s);
            return stage;
        }), async.isWal() ? null : handle), s -> body.apply(s.blocking()));
    }

    /**
     * Copies the database, online, to a file and waits for it; see {@link Database#backup(Path, BackupOptions)}.
     *
     * @param target the backup file; replaced once the copy is complete
     * @return the last progress report
     */
    public BackupProgress backup(Path target) {
        return await(guard(async.backup(target), false));
    }

    /**
     * Copies the database, online, to a file and waits for it; see {@link Database#backup(Path, BackupOptions)}.
     *
     * @param target the backup file; replaced once the copy is complete
     * @param options pages per step, pause, listener, schema
     * @return the last progress report
     */
    public BackupProgress backup(Path target, BackupOptions options) {
        return await(guard(async.backup(target, options), false));
    }

    /**
     * Replaces the content of the database by that of a database file and waits; see
     * {@link Database#restore(Path, BackupOptions)}.
     *
     * @param source the database file
     * @return the last progress report
     */
    public BackupProgress restore(Path source) {
        return await(guard(async.restore(source), true));
    }

    /**
     * Replaces the content of the database by that of a database file and waits; see
     * {@link Database#restore(Path, BackupOptions)}.
     *
     * @param source the database file
     * @param options schema, pages per step, listener
     * @return the last progress report
     */
    public BackupProgress restore(Path source, BackupOptions options) {
        return await(guard(async.restore(source, options), true));
    }

    /**
     * Writes a compacted copy to a new file with {@code VACUUM INTO} and waits; see {@link Database#vacuumInto(Path)}.
     *
     * @param target the new file; it must not exist
     */
    public void vacuumInto(Path target) {
        await(guard(async.vacuumInto(target), false));
    }

    /**
     * The database as the bytes of a database file; see {@link Database#serialize()}.
     *
     * @return the bytes
     */
    public byte[] serialize() {
        return await(guard(async.serialize(), false));
    }

    /**
     * Replaces the content of the database by the database in {@code data} and waits; see
     * {@link Database#deserialize(byte[])}.
     *
     * @param data the bytes of a database file
     */
    public void deserialize(byte[] data) {
        await(guard(async.deserialize(data), true));
    }

    /** Writes use the writer; reads too when one connection serves everything. */
    @Override
    <T> CompletableFuture<T> guard(CompletableFuture<T> future, boolean write) {
        return write || !async.isWal() ? guard(future, future) : future;
    }

    /**
     * On the writer's worker thread a call that did not complete at once waits for the writer, which this very
     * thread holds or must serve: it could never complete. Fail it (and withdraw it) instead of hanging.
     */
    private <T> CompletableFuture<T> guard(CompletableFuture<T> future, CompletableFuture<?> ready) {
        if (ready != null && !ready.isDone() && !future.isDone() && async.onWriterThread()) {
            future.cancel(false);
            throw new SqliteDeadlockException("a blocking call was made on the database's writer thread (inside a"
                    + " transaction function or a continuation of a writer future) while the writer was busy: it"
                    + " would wait for itself forever. Use the async Database or the Transaction handle there", null);
        }
        return future;
    }

    /**
     * Dumps the database as SQL text, handing each statement to {@code statements} on this thread, in order; see
     * {@link Database#dump(DumpOptions)}. The defaults dump the whole {@code main} schema.
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
     * Dumps the database as SQL text with the given options, handing each statement to {@code statements} on this
     * thread, in order; see {@link Database#dump(DumpOptions)}. The calling thread asks for one statement at
     * a time and only waits in between; rows are read ahead of it by at most {@link DatabaseOptions#prefetch()}.
     *
     * @param options which schema and tables, whether rowids are kept
     * @param statements takes one complete statement at a time
     * @throws SqliteException what the dump failed with; what {@code statements} throws is rethrown after the dump
     *     was stopped
     */
    public void dump(DumpOptions options, java.util.function.Consumer<? super String> statements) {
        io.sqliteasync.internal.dump.BlockingDump.run(async.dump(options), statements);
    }
}
