package io.sqliteasync.internal.worker;

import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.EngineConnection;
import io.sqliteasync.internal.engine.EngineStatement;
import io.sqliteasync.internal.sql.SqlScript;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements kept for reuse, keyed by SQL text, least recently used evicted first. Only statements that
 * are idle (reset, not held by a running query or open cursor) are in the map: {@link #acquire} takes a statement
 * out and {@link #release} puts it back, so a statement is never shared by two users. Worker thread only.
 */
final class StatementCache {
    private final EngineConnection connection;
    private final int capacity;
    private final LinkedHashMap<String, EngineStatement> idle;

    StatementCache(EngineConnection connection, int capacity) {
        this.connection = connection;
        this.capacity = capacity;
        this.idle = new LinkedHashMap<>(16, 0.75f, true);
    }

    EngineStatement acquire(String sql) {
        EngineStatement ps = idle.remove(sql);
        if (ps != null) {
            return ps;
        }
        // sqlite3_prepare compiles the first statement of a text and leaves the rest, and prepares a text without any
        // statement to nothing; refuse both before preparing, whatever the engine makes of them.
        refuseNul(sql);
        switch (SqlScript.count(sql)) {
            case 0:
                throw new SqliteException("the SQL text holds no statement (only whitespace, comments or semicolons)",
                        SqliteException.SQLITE_MISUSE, sql, null);
            case 2:
                throw new SqliteException("the SQL text holds more than one statement; only executeScript runs"
                        + " several statements", SqliteException.SQLITE_MISUSE, sql, null);
            default:
                return connection.prepare(sql);
        }
    }

    /**
     * Refuses SQL text with a NUL character. SQLite reads SQL only up to a NUL, so the rest would be dropped
     * silently; and a text whose first statement starts with one prepares to no statement at all, which an engine
     * may register as a statement it can never finalize (sqlite-jdbc does), blocking its close of the connection.
     *
     * @param sql the text
     */
    static void refuseNul(String sql) {
        int nul = sql.indexOf('\0');
        if (nul >= 0) {
            throw new SqliteException("the SQL text holds a NUL character at index " + nul + "; SQLite reads SQL text"
                    + " only up to it and would ignore the rest (bind text with NULs as a parameter)",
                    SqliteException.SQLITE_MISUSE, sql, null);
        }
    }

    /** Returns a statement that has been reset. */
    void release(String sql, EngineStatement ps) {
        if (capacity == 0) {
            closeQuietly(ps);
            return;
        }
        EngineStatement previous = idle.put(sql, ps);
        if (previous != null && previous != ps) {
            closeQuietly(previous);
        }
        if (idle.size() > capacity) {
            Iterator<Map.Entry<String, EngineStatement>> it = idle.entrySet().iterator();
            closeQuietly(it.next().getValue());
            it.remove();
        }
    }

    int size() {
        return idle.size();
    }

    void clear() {
        for (EngineStatement ps : idle.values()) {
            closeQuietly(ps);
        }
        idle.clear();
    }

    static void closeQuietly(EngineStatement s) {
        if (s != null) {
            s.close();
        }
    }
}
