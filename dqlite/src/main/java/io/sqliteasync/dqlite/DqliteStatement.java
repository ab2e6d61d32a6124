package io.sqliteasync.dqlite;

/**
 * A statement prepared on the server by {@link DqliteProtocolConnection#prepare(int, String)}. It lives on the
 * connection that prepared it until {@link DqliteProtocolConnection#finalizeStatement(DqliteStatement)} or the
 * connection's end.
 *
 * @param db the id of the database it belongs to
 * @param id the statement's id on the server
 * @param parameterCount how many parameters it takes
 * @param sql the SQL text it was prepared from
 */
public record DqliteStatement(int db, int id, long parameterCount, String sql) {
}
