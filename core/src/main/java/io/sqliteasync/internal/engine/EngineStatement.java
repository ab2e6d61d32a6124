package io.sqliteasync.internal.engine;

import io.sqliteasync.SqliteException;
import java.util.List;

/**
 * One prepared statement of an {@link EngineConnection}: a {@code sqlite3_stmt} for a local engine, a statement id
 * for a remote one. Worker thread only.
 *
 * <p>Life cycle: {@link #bind} every parameter, then either {@link #execute} (run to completion), or {@link #start}
 * followed by {@link #fetch} until it reports the end, or {@link #reset} to stop early. After the end or a reset the
 * statement can be bound and run again; {@link #close} finalizes it. Any method called after {@code close} throws a
 * {@link SqliteException} (never crashes the JVM). Every failure is a {@code SqliteException} carrying SQLite's
 * primary and extended result codes.
 *
 * <p>Values: the engine binds and returns only SQLite's storage classes, {@code Long}, {@code Double},
 * {@code String}, {@code byte[]} and {@code null}; the worker's codecs convert everything else before and after.
 */
public interface EngineStatement extends AutoCloseable {
    /**
     * The SQL text it was prepared from.
     *
     * @return the text
     */
    String sql();

    /**
     * The number of parameters ({@code sqlite3_bind_parameter_count}).
     *
     * @return the count
     */
    int parameterCount();

    /**
     * The name of a parameter, with its prefix ({@code :name}, {@code @name}, {@code $name}).
     *
     * @param index 1-based
     * @return the name, or {@code null} for a positional {@code ?} parameter
     */
    String parameterName(int index);

    /**
     * The number of result columns; 0 for a statement that returns no rows.
     *
     * @return the count
     */
    int columnCount();

    /**
     * A result column's name ({@code sqlite3_column_name}).
     *
     * @param column 0-based
     * @return the name
     */
    String columnName(int column);

    /**
     * A result column's declared type ({@code sqlite3_column_decltype}).
     *
     * @param column 0-based
     * @return the type as written in the table definition, or {@code null} for an expression
     */
    String declaredType(int column);

    /**
     * Whether the statement leaves the database unchanged ({@code sqlite3_stmt_readonly}), when the engine knows.
     *
     * @return {@code TRUE} or {@code FALSE}, or {@code null} when the engine cannot tell (no
     *     {@link Capability#STATEMENT_READONLY})
     */
    Boolean readOnly();

    /**
     * Binds one parameter. The statement must not be running (after {@link #start} and before its end or
     * {@link #reset}).
     *
     * @param index 1-based
     * @param value {@code Long}, {@code Double}, {@code String}, {@code byte[]} or {@code null}
     */
    void bind(int index, Object value);

    /** Sets every parameter back to NULL. */
    void clearBindings();

    /**
     * Runs the statement with its bound values up to its first row (or its end). Errors of the statement (a
     * constraint, a write on a read-only connection, a lock) surface here.
     *
     * @return {@code true} if a row is ready for {@link #fetch}; {@code false} if the statement ended (and is reset)
     */
    boolean start();

    /**
     * Delivers up to {@code max} rows to {@code sink}, the first being the row {@link #start} reached. Must follow
     * {@code start}.
     *
     * @param sink receives the rows
     * @param max the most rows to deliver, at least 1
     * @return {@code true} if the statement may have more rows (it stays active, holding its read transaction);
     *     {@code false} once it ended, in which case it is already reset
     */
    boolean fetch(RowSink sink, int max);

    /**
     * Runs the statement with its bound values, the way {@code sqlite3_step} once would: a statement that returns
     * rows runs up to its first (which is discarded); then resets it.
     *
     * @return the rows it changed and the last insert rowid
     */
    StatementResult execute();

    /**
     * Binds and runs the statement once per parameter set, all in one go where the engine can (one native loop, one
     * network round trip). Stops at the first failing set, with the statement reset.
     *
     * @param sets storage values, {@link #parameterCount()} per set
     * @return the rows changed by all sets together, and the last insert rowid
     */
    StatementResult executeBatch(List<Object[]> sets);

    /** Stops a running statement so that it holds no lock ({@code sqlite3_reset}); bindings stay. Idempotent. */
    void reset();

    /**
     * Whether {@link #close} has run (or the engine finalized the statement after a fatal error).
     *
     * @return {@code true} once the statement can no longer be used
     */
    boolean isClosed();

    /**
     * What the worker derived from this statement's result columns (its row metadata), kept with the statement so
     * that it is built once per prepare rather than once per execution. The engine only stores it; the worker checks
     * that it still matches the columns before each use, since SQLite may re-prepare a statement after a schema
     * change.
     *
     * @return the value last given to {@link #attach}, or {@code null}
     */
    default Object attachment() {
        return null;
    }

    /**
     * Keeps a value for {@link #attachment()}. An engine that does not keep it (the default) only costs the worker a
     * rebuild per execution.
     *
     * @param value the value, or {@code null} to drop it
     */
    default void attach(Object value) {
    }

    /** Finalizes the statement. Idempotent; never throws. */
    @Override
    void close();
}
