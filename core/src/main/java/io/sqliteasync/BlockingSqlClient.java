package io.sqliteasync;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The blocking view of a {@link SqlClient}: the same calls, each waiting on the calling thread until its statement ran
 * on the worker, returning a plain value or throwing the {@link SqliteException} itself (not a
 * {@link java.util.concurrent.CompletionException}). Obtained from {@link SqlClient#blocking()}; the subclasses
 * {@link BlockingConnection}, {@link BlockingDatabase}, {@link BlockingTransaction} and {@link BlockingSnapshot} add
 * what exists only on their kind of client.
 *
 * <p><b>Threading.</b> The calling thread only waits; SQLite runs on the client's worker threads, routed as the
 * client routes. A waiting thread spins for a few microseconds and then parks, so the view is safe on virtual threads:
 * a virtual thread that waits here releases its carrier, unlike one that calls SQLite directly. An interrupted
 * waiting thread gets a {@link SqliteException} (code {@code SQLITE_INTERRUPT}) with its interrupt flag set again; a
 * command that had not started yet is then dropped. Do not call a blocking view from a worker thread (a continuation
 * of a future of this library): waiting there for another command could deadlock.
 */
public class BlockingSqlClient {
    private final SqlClient async;
    private final int prefetch;

    BlockingSqlClient(SqlClient async, int prefetch) {
        this.async = async;
        this.prefetch = prefetch;
    }

    /**
     * The asynchronous client behind this view.
     *
     * @return the client
     */
    public SqlClient async() {
        return async;
    }

    /**
     * Lets a subclass refuse to wait for a future that could never complete on this thread. Runs on the caller's
     * thread right after the call was made.
     */
    <T> CompletableFuture<T> guard(CompletableFuture<T> future, boolean write) {
        return future;
    }

    /**
     * Runs one statement; see {@link SqlClient#execute}.
     *
     * @param sql one statement, with placeholders or named parameters
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @return rows changed and the last insert rowid
     * @throws SqliteException what the statement failed with
     */
    public ExecuteResult execute(String sql, Object... args) {
        return await(guard(async.execute(sql, args), true));
    }

    /**
     * Runs one statement per parameter set, all or nothing; see {@link SqlClient#executeMany(String, Iterable)}.
     *
     * @param sql one statement
     * @param parameterSets each an {@code Object[]}, a {@link List}, or a map or record for named parameters
     * @return total rows changed and the last insert rowid
     * @throws SqliteException what the batch failed with; nothing of it stays applied
     */
    public ExecuteResult executeMany(String sql, Iterable<?> parameterSets) {
        return await(guard(async.executeMany(sql, parameterSets), true));
    }

    /**
     * Runs one statement per parameter set; see {@link SqlClient#executeMany(String, Iterable, BatchMode)}.
     *
     * @param sql one statement
     * @param parameterSets each an {@code Object[]}, a {@link List}, or a map or record for named parameters
     * @param mode atomic, or each set on its own
     * @return total rows changed and the last insert rowid
     * @throws SqliteException what the batch failed with
     */
    public ExecuteResult executeMany(String sql, Iterable<?> parameterSets, BatchMode mode) {
        return await(guard(async.executeMany(sql, parameterSets, mode), true));
    }

    /**
     * Runs a script of statements without parameters; see {@link SqlClient#executeScript}.
     *
     * @param sql the script
     * @throws SqliteException what the failing statement failed with
     */
    public void executeScript(String sql) {
        await(guard(async.executeScript(sql), true));
    }

    /**
     * Runs a query and returns every row; see {@link SqlClient#fetchAll(String, Object...)}.
     *
     * @param sql one query
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @return the rows
     * @throws SqliteException what the query failed with
     */
    public List<Row> fetchAll(String sql, Object... args) {
        return await(guard(async.fetchAll(sql, args), false));
    }

    /**
     * Runs a query and maps every row to a class; see {@link SqlClient#fetchAll(String, Class, Object...)}.
     *
     * @param sql one query
     * @param type the class of each result
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of each result
     * @return the mapped rows
     * @throws SqliteException what the query failed with, or {@code SQLITE_MISMATCH} when a row does not map
     */
    public <T> List<T> fetchAll(String sql, Class<T> type, Object... args) {
        return await(guard(async.fetchAll(sql, type, args), false));
    }

    /**
     * Runs a query and maps every row with a mapper, which runs on the worker thread; see
     * {@link SqlClient#fetchAll(String, RowMapper, Object...)}.
     *
     * @param sql one query
     * @param mapper the mapper; it must not block
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of each result
     * @return the mapped rows
     * @throws SqliteException what the query or the mapper failed with
     */
    public <T> List<T> fetchAll(String sql, RowMapper<T> mapper, Object... args) {
        return await(guard(async.fetchAll(sql, mapper, args), false));
    }

    /**
     * Runs a query and returns its first row; see {@link SqlClient#fetchOne(String, Object...)}.
     *
     * @param sql one query
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @return the first row, or {@code null} when there is none
     * @throws SqliteException what the query failed with
     */
    public Row fetchOne(String sql, Object... args) {
        return await(guard(async.fetchOne(sql, args), false));
    }

    /**
     * Runs a query and maps its first row to a class; see {@link SqlClient#fetchOne(String, Class, Object...)}.
     *
     * @param sql one query
     * @param type the class of the result
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of the result
     * @return the mapped first row, or {@code null} when there is none
     * @throws SqliteException what the query failed with
     */
    public <T> T fetchOne(String sql, Class<T> type, Object... args) {
        return await(guard(async.fetchOne(sql, type, args), false));
    }

    /**
     * Runs a query and maps its first row with a mapper; see {@link SqlClient#fetchOne(String, RowMapper, Object...)}.
     *
     * @param sql one query
     * @param mapper the mapper; it must not block
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of the result
     * @return the mapped first row, or {@code null} when there is none
     * @throws SqliteException what the query or the mapper failed with
     */
    public <T> T fetchOne(String sql, RowMapper<T> mapper, Object... args) {
        return await(guard(async.fetchOne(sql, mapper, args), false));
    }

    /**
     * Runs a query and returns its first row, if any; see {@link SqlClient#fetchOptional(String, Object...)}.
     *
     * @param sql one query
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @return the first row, or empty
     * @throws SqliteException what the query failed with
     */
    public Optional<Row> fetchOptional(String sql, Object... args) {
        return await(guard(async.fetchOptional(sql, args), false));
    }

    /**
     * Runs a query and maps its first row, if any, to a class; see
     * {@link SqlClient#fetchOptional(String, Class, Object...)}.
     *
     * @param sql one query
     * @param type the class of the result
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of the result
     * @return the mapped first row, or empty
     * @throws SqliteException what the query failed with
     */
    public <T> Optional<T> fetchOptional(String sql, Class<T> type, Object... args) {
        return await(guard(async.fetchOptional(sql, type, args), false));
    }

    /**
     * Runs a query and maps its first row, if any, with a mapper; see
     * {@link SqlClient#fetchOptional(String, RowMapper, Object...)}.
     *
     * @param sql one query
     * @param mapper the mapper; it must not block
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of the result
     * @return the mapped first row, or empty
     * @throws SqliteException what the query or the mapper failed with
     */
    public <T> Optional<T> fetchOptional(String sql, RowMapper<T> mapper, Object... args) {
        return await(guard(async.fetchOptional(sql, mapper, args), false));
    }

    /**
     * Starts a query and returns a blocking cursor over it; see {@link SqlClient#cursor}.
     *
     * @param sql one query
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @return the cursor; close it when stopping early
     * @throws SqliteException what the query failed with
     */
    public BlockingCursor cursor(String sql, Object... args) {
        return new BlockingCursor(await(guard(async.cursor(sql, args), false)));
    }

    /**
     * A lazy stream of a query's rows, fetched {@code prefetch} rows per round trip as the stream is consumed.
     * Close the stream (try-with-resources) when it is not consumed to the end, so that its statement is reset.
     *
     * @param sql one query
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @return a sequential stream that must be consumed on one thread at a time
     * @throws SqliteException what the query failed with, when it starts or while the stream is consumed
     */
    public Stream<Row> stream(String sql, Object... args) {
        BlockingCursor cursor = cursor(sql, args);
        Iterator<Row> it = new Iterator<>() {
            private Iterator<Row> batch = List.<Row>of().iterator();
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                while (!batch.hasNext() && !exhausted) {
                    List<Row> rows = cursor.fetchMany(prefetch);
                    exhausted = rows.size() < prefetch;
                    batch = rows.iterator();
                }
                return batch.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(cursor::close);
    }

    /**
     * Waits for a future of this library and returns its value, rethrowing its failure unwrapped.
     *
     * @param future the future
     * @param <T> the result type
     * @return the value
     */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new SqliteException("the command failed: " + cause, -1, null, cause);
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            throw new SqliteException("interrupted while waiting for the connection", SqliteException.SQLITE_INTERRUPT,
                    null, e);
        } catch (java.util.concurrent.CancellationException e) {
            throw new SqliteException("the command was cancelled", SqliteException.SQLITE_INTERRUPT, null, e);
        }
    }

    /**
     * Runs a blocking body on this thread inside a transaction that the caller begins and ends through a handle:
     * the body runs marked as inside the transaction, which commits when the body returns and rolls back when it
     * throws.
     */
    static <T, B> T inTransaction(Transaction tx, B view, SqlFunction<? super B, T> body) {
        T value;
        try {
            value = Transaction.marked(tx, () -> {
                try {
                    return body.apply(view);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Exception e) {
                    throw new BodyFailure(e);
                }
            });
        } catch (Throwable t) {
            Throwable failure = t instanceof BodyFailure ? t.getCause() : t;
            try {
                await(tx.rollback());
            } catch (RuntimeException r) {
                failure.addSuppressed(r);
            }
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            throw new SqliteException("the command failed: " + failure, -1, null, failure);
        }
        await(tx.commit());
        return value;
    }

    /** Carries a checked exception of a body out of a {@link java.util.function.Supplier}. */
    private static final class BodyFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyFailure(Exception cause) {
            super(cause);
        }
    }

    /**
     * Runs a blocking body inside an asynchronous scope: the scope's function hands its handle to this thread and
     * returns a stage that this thread completes with the body's outcome.
     */
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
