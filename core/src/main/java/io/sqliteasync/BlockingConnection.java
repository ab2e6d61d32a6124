package io.sqliteasync;

import java.sql.Connection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The blocking view of an {@link AsyncConnection}: the same calls, each waiting for its command and returning a
 * plain value or throwing the {@link SqliteException} directly.
 *
 * <p>The calling thread only waits; SQLite runs on the connection's worker thread. A waiting thread spins for a few
 * microseconds and then parks, so the view is safe on virtual threads: a virtual thread that waits here releases its
 * carrier, unlike one that calls SQLite directly. An interrupted waiting thread gets a {@link SqliteException}
 * (code {@code SQLITE_INTERRUPT}) with its interrupt flag set again; a command that had not started yet is then
 * dropped. Called on the worker thread itself (inside {@code run}), calls run inline.
 */
public final class BlockingConnection {
    private final AsyncConnection async;

    BlockingConnection(AsyncConnection async) {
        this.async = async;
    }

    /**
     * The asynchronous connection behind this view.
     *
     * @return the connection
     */
    public AsyncConnection async() {
        return async;
    }

    /**
     * Runs one statement; see {@link AsyncConnection#execute}.
     *
     * @param sql one statement
     * @param args one value per placeholder
     * @return rows changed and last insert rowid
     */
    public ExecuteResult execute(String sql, Object... args) {
        return await(async.execute(sql, args));
    }

    /**
     * Runs one statement per parameter set, atomically; see {@link AsyncConnection#executeMany(String, Iterable)}.
     *
     * @param sql one statement
     * @param parameterSets each an {@code Object[]} or a {@link List}
     * @return total rows changed and last insert rowid
     */
    public ExecuteResult executeMany(String sql, Iterable<?> parameterSets) {
        return await(async.executeMany(sql, parameterSets));
    }

    /**
     * Runs one statement per parameter set; see {@link AsyncConnection#executeMany(String, Iterable, BatchMode)}.
     *
     * @param sql one statement
     * @param parameterSets each an {@code Object[]} or a {@link List}
     * @param mode atomic or autocommit per set
     * @return total rows changed and last insert rowid
     */
    public ExecuteResult executeMany(String sql, Iterable<?> parameterSets, BatchMode mode) {
        return await(async.executeMany(sql, parameterSets, mode));
    }

    /**
     * Runs a script; see {@link AsyncConnection#executeScript}.
     *
     * @param sql the script
     */
    public void executeScript(String sql) {
        await(async.executeScript(sql));
    }

    /**
     * Runs a query and returns every row.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return the rows
     */
    public List<Row> fetchAll(String sql, Object... args) {
        return await(async.fetchAll(sql, args));
    }

    /**
     * Runs a query and maps every row to a class (a record by column name, or any class from a single column).
     *
     * @param sql one query
     * @param type the class of each result
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of each result
     * @return the mapped rows
     */
    public <T> List<T> fetchAll(String sql, Class<T> type, Object... args) {
        return await(async.fetchAll(sql, type, args));
    }

    /**
     * Runs a query and maps every row with a mapper, which runs on the worker thread.
     *
     * @param sql one query
     * @param mapper the mapper
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of each result
     * @return the mapped rows
     */
    public <T> List<T> fetchAll(String sql, RowMapper<T> mapper, Object... args) {
        return await(async.fetchAll(sql, mapper, args));
    }

    /**
     * Runs a query and maps its first row to a class.
     *
     * @param sql one query
     * @param type the class of the result
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of the result
     * @return the mapped first row, or {@code null} when there is none
     */
    public <T> T fetchOne(String sql, Class<T> type, Object... args) {
        return await(async.fetchOne(sql, type, args));
    }

    /**
     * Runs a query and returns its first row.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return the first row, or {@code null} when there is none
     */
    public Row fetchOne(String sql, Object... args) {
        return await(async.fetchOne(sql, args));
    }

    /**
     * Runs a query and returns its first row, if any.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return the first row or empty
     */
    public Optional<Row> fetchOptional(String sql, Object... args) {
        return await(async.fetchOptional(sql, args));
    }

    /**
     * Starts a query and returns a blocking cursor over it.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return the cursor; close it when stopping early
     */
    public BlockingCursor cursor(String sql, Object... args) {
        return new BlockingCursor(await(async.cursor(sql, args)));
    }

    /**
     * A lazy stream of a query's rows, fetched {@link ConnectionOptions#prefetch()} rows per round trip as the
     * stream is consumed. Close the stream (try-with-resources) when it is not consumed to the end, so that its
     * statement is reset.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return a sequential stream that must be consumed on one thread at a time
     */
    public Stream<Row> stream(String sql, Object... args) {
        BlockingCursor cursor = cursor(sql, args);
        int batchSize = async.options().prefetch();
        Iterator<Row> it = new Iterator<>() {
            private Iterator<Row> batch = List.<Row>of().iterator();
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                while (!batch.hasNext() && !exhausted) {
                    List<Row> rows = cursor.fetchMany(batchSize);
                    exhausted = rows.size() < batchSize;
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

    /** Commits the open transaction; does nothing when none is open. */
    public void commit() {
        await(async.commit());
    }

    /** Rolls back the open transaction; does nothing when none is open. */
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

    /** Closes the connection, waiting for queued commands; see {@link AsyncConnection#close()}. */
    public void close() {
        async.close();
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
}
