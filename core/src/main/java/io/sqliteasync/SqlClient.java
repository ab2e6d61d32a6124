package io.sqliteasync;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The one query surface of the library: an {@link AsyncConnection}, a {@link Database}, a {@link Transaction} and a
 * {@link Snapshot} are all SQL clients and differ only in where they send each call (see each class for its routing).
 *
 * <p><b>Threading.</b> Every method returns at once; no method blocks the calling thread or runs SQLite on it. The
 * statement runs on the worker thread of the connection the client routes it to. The returned future completes on
 * that worker thread, or on the completion executor when one is configured
 * ({@link ConnectionOptions#completionExecutor()}, {@link DatabaseOptions#completionExecutor()}); stages attached with
 * non-async methods ({@code thenApply}, {@code thenCompose}, ...) then run there and must not block. A call made on
 * the worker thread itself (from such a stage) runs inline at once, so a continuation that calls its own client never
 * deadlocks.
 *
 * <p><b>Cancellation and deadlines.</b> Cancelling a returned future before its statement starts means it never
 * runs; cancelling it while the statement runs stops SQLite within a few milliseconds (the progress handler), and the
 * client stays usable. A {@link Deadline} in force when a call is made bounds its wait and its execution and fails it
 * with {@link SqliteTimeoutException}.
 *
 * <p><b>Failure.</b> Futures fail with {@link SqliteException} or a subclass. Wrong SQL, a wrong number of
 * parameters, an unsupported parameter type or SQL text with a NUL character fail the call before anything runs, and
 * the client stays usable. A closed client fails every call with {@link SqliteClosedException}; a transaction or
 * snapshot that ended fails every later call with a {@link SqliteException} that says so.
 *
 * <p><b>Parameters.</b> {@code args} holds one value per {@code ?}/{@code ?NNN} placeholder, of any class the codecs
 * encode (numbers, {@link Boolean} as 1/0, text, {@code byte[]}, {@link java.math.BigDecimal}, {@link java.util.UUID},
 * enums, {@code java.time}, {@link Optional}, ...); or, for {@code :name}, {@code @name}, {@code $name} parameters,
 * one {@link java.util.Map}, record or bean that supplies them. A value the codecs refuse, a named parameter without a
 * value or a map key that matches no parameter fails the call with a {@link SqliteException} naming the parameter.
 */
public interface SqlClient {

    /**
     * Runs one SQL statement, such as an INSERT, UPDATE, DELETE or DDL; any rows it returns are discarded.
     *
     * @param sql one statement, with placeholders or named parameters
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @return a future completed on the worker thread (or the completion executor) with the rows changed and the last
     *     insert rowid; cancelling it stops the statement
     */
    CompletableFuture<ExecuteResult> execute(String sql, Object... args);

    /**
     * Runs one statement once for each parameter set, as one command, all or nothing ({@link BatchMode#ATOMIC}).
     *
     * @param sql one statement, with placeholders or named parameters
     * @param parameterSets the sets, each an {@code Object[]}, a {@link List}, or a map or record for named
     *     parameters; copied when the call is made
     * @return a future completed on the worker thread (or the completion executor) with the total rows changed and the
     *     last insert rowid; it fails naming the set when a set has the wrong number or type of values, and then
     *     nothing of the batch stays applied
     */
    CompletableFuture<ExecuteResult> executeMany(String sql, Iterable<?> parameterSets);

    /**
     * Runs one statement once for each parameter set, as one command.
     *
     * @param sql one statement, with placeholders or named parameters
     * @param parameterSets the sets, each an {@code Object[]}, a {@link List}, or a map or record for named
     *     parameters; copied when the call is made
     * @param mode {@link BatchMode#ATOMIC} (inside a savepoint: all or nothing) or {@link BatchMode#AUTOCOMMIT}
     *     (each set on its own; the sets before a failing one stay applied)
     * @return a future completed on the worker thread (or the completion executor) with the total rows changed and the
     *     last insert rowid; a statement that returns rows fails it before any set runs
     */
    CompletableFuture<ExecuteResult> executeMany(String sql, Iterable<?> parameterSets, BatchMode mode);

    /**
     * Runs a script of any number of statements separated by semicolons, without parameters, as one command. SQLite
     * stops at the first failing statement; the statements before it stay applied unless the client's routing says
     * otherwise (a {@link Database} rolls back a transaction the script opened and left open or failed in).
     *
     * @param sql the script
     * @return a future completed on the worker thread (or the completion executor) once every statement ran
     */
    CompletableFuture<Void> executeScript(String sql);

    /**
     * Runs a query and returns all its rows.
     *
     * @param sql one query, with placeholders or named parameters
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @return a future completed on the worker thread (or the completion executor) with every row, in order
     */
    CompletableFuture<List<Row>> fetchAll(String sql, Object... args);

    /**
     * Runs a query and maps every row to a class: a record by column name (see {@link Row#as(Class)}), any other class
     * from the row's only column (see {@link RowMapper#of(Class)}).
     *
     * @param sql one query, with placeholders or named parameters
     * @param type the class of each result
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of each result
     * @return a future completed on the worker thread (or the completion executor) with the mapped rows, in order;
     *     it fails with {@link SqliteException} ({@code SQLITE_MISMATCH}) when a row does not map
     */
    <T> CompletableFuture<List<T>> fetchAll(String sql, Class<T> type, Object... args);

    /**
     * Runs a query and maps every row with a mapper, on the worker thread as rows are read.
     *
     * @param sql one query, with placeholders or named parameters
     * @param mapper the mapper; it runs on the worker thread and must not block
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of each result
     * @return a future completed on the worker thread (or the completion executor) with the mapped rows, in order; it
     *     fails with {@link SqliteException} ({@code SQLITE_MISMATCH}) when the mapper throws an
     *     {@link IllegalArgumentException}, or with what else it throws, mapped to {@link SqliteException}
     */
    <T> CompletableFuture<List<T>> fetchAll(String sql, RowMapper<T> mapper, Object... args);

    /**
     * Runs a query and returns its first row; the rest are not stepped.
     *
     * @param sql one query, with placeholders or named parameters
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @return a future completed on the worker thread (or the completion executor) with the first row, or with
     *     {@code null} when there is none
     */
    CompletableFuture<Row> fetchOne(String sql, Object... args);

    /**
     * Runs a query and maps its first row to a class, as {@link #fetchAll(String, Class, Object...)}.
     *
     * @param sql one query, with placeholders or named parameters
     * @param type the class of the result
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of the result
     * @return a future completed on the worker thread (or the completion executor) with the mapped first row, or with
     *     {@code null} when there is none
     */
    <T> CompletableFuture<T> fetchOne(String sql, Class<T> type, Object... args);

    /**
     * Runs a query and maps its first row with a mapper, on the worker thread.
     *
     * @param sql one query, with placeholders or named parameters
     * @param mapper the mapper; it must not block
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of the result
     * @return a future completed on the worker thread (or the completion executor) with the mapped first row, or with
     *     {@code null} when there is none
     */
    <T> CompletableFuture<T> fetchOne(String sql, RowMapper<T> mapper, Object... args);

    /**
     * Runs a query and returns its first row, if any.
     *
     * @param sql one query, with placeholders or named parameters
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @return a future completed on the worker thread (or the completion executor) with the first row, or an empty
     *     optional
     */
    CompletableFuture<Optional<Row>> fetchOptional(String sql, Object... args);

    /**
     * Runs a query and maps its first row, if any, to a class, as {@link #fetchAll(String, Class, Object...)}.
     *
     * @param sql one query, with placeholders or named parameters
     * @param type the class of the result
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of the result
     * @return a future completed on the worker thread (or the completion executor) with the mapped first row, or an
     *     empty optional when there is none (or it maps to {@code null})
     */
    <T> CompletableFuture<Optional<T>> fetchOptional(String sql, Class<T> type, Object... args);

    /**
     * Runs a query and maps its first row, if any, with a mapper, on the worker thread.
     *
     * @param sql one query, with placeholders or named parameters
     * @param mapper the mapper; it must not block
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @param <T> the class of the result
     * @return a future completed on the worker thread (or the completion executor) with the mapped first row, or an
     *     empty optional when there is none (or it maps to {@code null})
     */
    <T> CompletableFuture<Optional<T>> fetchOptional(String sql, RowMapper<T> mapper, Object... args);

    /**
     * Starts a query and returns a cursor over its rows; rows are stepped only when fetched.
     *
     * @param sql one query, with placeholders or named parameters
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @return a future completed on the worker thread (or the completion executor) with the cursor once the query has
     *     started (its column names and declared types are then known). Close the cursor when stopping before it is
     *     exhausted; a cursor of a transaction or snapshot is closed when that scope ends. Cancelling the future
     *     before it completes closes a cursor that had already opened.
     */
    CompletableFuture<Cursor> cursor(String sql, Object... args);

    /**
     * A stream of a query's rows that steps only as demand arrives, {@code prefetch} rows (default 64) per round trip
     * to the worker; rows stepped ahead of demand never exceed the prefetch size.
     *
     * <p>Each subscription runs the query anew when it first requests rows. {@code onNext} runs on the worker thread
     * (or the completion executor) when a batch arrives, or on the thread that calls {@code request} when rows are
     * already buffered; never concurrently. Cancelling the subscription stops stepping and resets the statement (in
     * submission order: a command made after {@code cancel()} returns sees the statement reset). Errors reach
     * {@code onError} as {@link SqliteException}.
     *
     * @param sql one query, with placeholders or named parameters
     * @param args one value per placeholder, or one map, record or bean for named parameters
     * @return a cold publisher; each subscriber gets its own run of the query
     */
    Flow.Publisher<Row> stream(String sql, Object... args);

    /**
     * A view of this client whose methods block the calling thread until the call has run and return plain values,
     * throwing the {@link SqliteException} itself. Safe on virtual threads: a waiting thread spins a few microseconds,
     * then parks, releasing its carrier while SQLite runs on the worker.
     *
     * @return the blocking view (one per client)
     */
    BlockingSqlClient blocking();
}
