package io.sqliteasync;

/** How {@link AsyncConnection#executeMany(String, Iterable, BatchMode)} groups its parameter sets. */
public enum BatchMode {
    /**
     * All sets or none: the sets run inside a savepoint (which starts a transaction when none is open), released on
     * success and rolled back when any set fails, so a failing set leaves nothing half-applied. The default.
     */
    ATOMIC,
    /**
     * Each set is its own statement execution with no grouping: outside a transaction each set commits on its own,
     * and a failing set leaves the sets before it applied.
     */
    AUTOCOMMIT
}
