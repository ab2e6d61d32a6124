package io.sqliteasync.internal.engine;

/**
 * Receives the rows an {@link EngineStatement} steps. A local engine calls it once per {@code sqlite3_step}; a remote
 * engine once per row of each batch it decoded.
 */
@FunctionalInterface
public interface RowSink {
    /**
     * Takes one row.
     *
     * @param values one storage value per column: {@code Long}, {@code Double}, {@code String}, {@code byte[]}
     *     (never {@code null} for a blob, possibly empty) or {@code null}; the array is the sink's to keep
     */
    void row(Object[] values);
}
