package org.sqlite.core;

import java.sql.SQLException;

/**
 * The bench's way into sqlite-jdbc's package-private core calls ({@code prepare}, {@code bind_*}), for the floor
 * driver only. It lives in sqlite-jdbc's own package, which works because the bench runs on the class path; the
 * library itself cannot do this (a split package breaks the module path) and binds through the public
 * {@code DB.execute(CoreStatement, Object[])} instead.
 */
public final class FloorAccess {
    private static final int SQLITE_OK = 0;

    private FloorAccess() {
    }

    /**
     * Prepares one statement.
     *
     * @param db the connection's native database
     * @param sql the statement
     * @return the statement pointer; close it before the connection
     * @throws SQLException when SQLite refuses it
     */
    public static SafeStmtPtr prepare(DB db, String sql) throws SQLException {
        return db.prepare(sql);
    }

    /**
     * Binds one storage value (Long, Double, String, byte[] or null) to a 1-based parameter.
     *
     * @param db the connection's native database
     * @param stmt the raw statement pointer (inside {@code SafeStmtPtr.safeRun})
     * @param index 1-based parameter index
     * @param v the value
     * @throws SQLException when SQLite refuses it
     */
    public static void bind(DB db, long stmt, int index, Object v) throws SQLException {
        int pos = index;
        int rc;
        if (v == null) {
            rc = db.bind_null(stmt, pos);
        } else if (v instanceof Long) {
            rc = db.bind_long(stmt, pos, (Long) v);
        } else if (v instanceof Double) {
            rc = db.bind_double(stmt, pos, (Double) v);
        } else if (v instanceof String) {
            rc = db.bind_text(stmt, pos, (String) v);
        } else {
            rc = db.bind_blob(stmt, pos, (byte[]) v);
        }
        if (rc != SQLITE_OK) {
            db.throwex(rc);
        }
    }
}
