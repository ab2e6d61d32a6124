package io.sqliteasync;

/**
 * What a write command did.
 *
 * @param rowsUpdated rows inserted, updated or deleted by the command ({@code sqlite3_changes}); {@code 0} for
 *     statements that change no rows, such as DDL or a SELECT. For {@code executeMany} the sum over all sets.
 * @param lastInsertRowid the connection's {@code last_insert_rowid()} after the command: the rowid of the most recent
 *     successful INSERT on this connection (by this or an earlier command), {@code 0} if there was none
 */
public record ExecuteResult(long rowsUpdated, long lastInsertRowid) {
}
