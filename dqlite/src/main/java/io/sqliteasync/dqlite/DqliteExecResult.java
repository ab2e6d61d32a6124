package io.sqliteasync.dqlite;

/**
 * The result of an exec request.
 *
 * @param lastInsertId the rowid of the last row inserted on the connection ({@code sqlite3_last_insert_rowid})
 * @param rowsAffected rows changed by the statement ({@code sqlite3_changes}); for several statements, by the last
 */
public record DqliteExecResult(long lastInsertId, long rowsAffected) {
}
