package io.sqliteasync.internal.engine;

/**
 * What running a statement to completion changed.
 *
 * @param changes rows inserted, updated or deleted by the statement ({@code sqlite3_changes}), 0 for a statement
 *     that changes no rows (DDL, a query) even when an earlier statement did
 * @param lastInsertRowid the connection's last insert rowid after the statement
 */
public record StatementResult(long changes, long lastInsertRowid) {
}
