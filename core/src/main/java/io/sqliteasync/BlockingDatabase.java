package io.sqliteasync;

import static io.sqliteasync.BlockingConnection.await;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;

/**
 * The blocking view of a {@link Database}: the same calls, each waiting for its result and returning a plain value or
 * throwing the {@link SqliteException} directly. The calling thread only waits; SQLite runs on the database's worker
 * threads, so the view is safe on virtual threads. Do not call it from a worker thread (a continuation of a
 * {@link Database} future): waiting there for the pool could deadlock. On the writer's thread a call that cannot
 * complete at once fails with {@link SqliteDeadlockException} instead of waiting for itself.
 *
 * <p>{@link #transaction(SqlFunction)} and {@link #read(SqlFunction)} run their body on the calling thread, between
 * the begin and the end that run on the leased connection; while the body runs the connection is held, so keep it
 * short. An interrupted waiting thread gets a {@link SqliteException} ({@code SQLITE_INTERRUPT}); a transaction it
 * was waiting for is then rolled back.
 */
public final class BlockingDatabase {
    private final Database async;

    BlockingDatabase(Database async) {
        this.async = async;
    }

    /**
     * The asynchronous database behind this view.
     *
     * @return the database
     */
    public Database async() {
        return async;
    }

    /**
     * Runs one write on the writer; see {@link Database#execute}.
     *
     * @param sql one statement
     * @param args one value per placeholder
     * @return rows changed and the last insert rowid
     */
    public ExecuteResult execute(String sql, Object... args) {
        return await(guard(async.execute(sql, args)));
    }

    /**
     * Runs one statement per parameter set, all or nothing; see {@link Database#executeMany(String, Iterable)}.
     *
     * @param sql one statement
     * @param parameterSets each an {@code Object[]} or a {@link List}
     * @return total rows changed and the last insert rowid
     */
    public ExecuteResult executeMany(String sql, Iterable<?> parameterSets) {
        return await(guard(async.executeMany(sql, parameterSets)));
    }

    /**
     * Runs a script on the writer; see {@link Database#executeScript}.
     *
     * @param sql the script
     */
    public void executeScript(String sql) {
        await(guard(async.executeScript(sql)));
    }

    /**
     * Runs a query on a reader; see {@link Database#fetchAll}.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return every row
     */
    public List<Row> fetchAll(String sql, Object... args) {
        return await(guardRead(async.fetchAll(sql, args)));
    }

    /**
     * Runs a query on a reader and returns its first row; see {@link Database#fetchOne}.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return the first row, or {@code null}
     */
    public Row fetchOne(String sql, Object... args) {
        return await(guardRead(async.fetchOne(sql, args)));
    }

    /**
     * Runs a query on a reader and returns its first row, if any; see {@link Database#fetchOptional}.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return the first row or an empty optional
     */
    public Optional<Row> fetchOptional(String sql, Object... args) {
        return await(guardRead(async.fetchOptional(sql, args)));
    }

    /**
     * Runs a checkpoint; see {@link Database#checkpoint(CheckpointMode)}.
     *
     * @param mode the kind
     * @return the checkpoint's numbers
     */
    public CheckpointResult checkpoint(CheckpointMode mode) {
        return await(guard(async.checkpoint(mode)));
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
     * Waits for the writer, begins a transaction, runs {@code body} on this thread with a handle whose calls go to
     * the writer, then commits; rolls back when the body throws. The transaction timeout applies.
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
        return BlockingDatabase.<Transaction, T>runBody((handle, stage) -> guard(async.transaction(mode, tx -> {
            handle.complete(tx);
            return stage;
        }), handle), tx -> body.apply(new BlockingTransaction(tx)));
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
        return BlockingDatabase.<Snapshot, T>runBody((handle, stage) -> guard(async.read(s -> {
            handle.complete(s);
            return stage;
        }), async.isWal() ? null : handle), s -> body.apply(new BlockingSnapshot(s)));
    }

    /**
     * Runs a blocking body inside an asynchronous scope: the scope's function hands its handle to this thread and
     * returns a stage that this thread completes with the body's outcome.
     */
    private <T> CompletableFuture<T> guard(CompletableFuture<T> future) {
        return guard(future, future);
    }

    /** Reads use the writer only when one connection serves everything. */
    private <T> CompletableFuture<T> guardRead(CompletableFuture<T> future) {
        return async.isWal() ? future : guard(future, future);
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

    static <H, T> T runBody(BiFunction<CompletableFuture<H>, CompletableFuture<T>, CompletableFuture<T>> start,
            SqlFunction<H, T> body) {
        CompletableFuture<H> handle = new CompletableFuture<>();
        CompletableFuture<T> stage = new CompletableFuture<>();
        CompletableFuture<T> out = start.apply(handle, stage);
        try {
            // The scope may fail before it ever hands out its handle (acquire timeout, closed database).
            CompletableFuture.anyOf(handle, out).get();
        } catch (ExecutionException e) {
            // out failed; reported below
        } catch (InterruptedException e) {
            out.cancel(false);
            Thread.currentThread().interrupt();
            throw new SqliteException("interrupted while waiting for the database", SqliteException.SQLITE_INTERRUPT,
                    null, e);
        }
        if (handle.isDone()) {
            try {
                stage.complete(body.apply(handle.join()));
            } catch (Throwable t) {
                stage.completeExceptionally(t);
            }
        }
        return await(out);
    }
}
