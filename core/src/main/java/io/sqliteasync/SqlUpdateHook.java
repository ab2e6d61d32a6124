package io.sqliteasync;

/**
 * Called on the worker thread for every row a statement inserts, updates or deletes in a rowid table
 * ({@code sqlite3_update_hook}). Registered with {@link AsyncConnection#setUpdateHook}.
 */
@FunctionalInterface
public interface SqlUpdateHook {
    /** What happened to the row. */
    enum Kind {
        /** The row was inserted. */
        INSERT,
        /** The row was updated. */
        UPDATE,
        /** The row was deleted. */
        DELETE
    }

    /**
     * Reports one changed row. The hook must not change the database.
     *
     * @param kind what happened
     * @param database the schema name, such as {@code main}
     * @param table the table
     * @param rowid the row's rowid
     * @return {@code null}, or a {@code CompletionStage} the worker waits for
     * @throws Exception to fail the call that made the change (the change itself stands)
     */
    Object onUpdate(Kind kind, String database, String table, long rowid) throws Exception;
}
