package io.sqliteasync.internal.worker;

import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.EngineConnection;
import io.sqliteasync.internal.engine.EngineStatement;
import io.sqliteasync.internal.sql.SqlScript;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements kept for reuse, keyed by SQL text, least recently used evicted first. Each text has a slot that
 * holds its statement while it is idle (reset, not held by a running query or open cursor): {@link #acquire} takes
 * the statement out of its slot and {@link #release} puts it back, so a statement is never shared by two users, and
 * a statement used over and over costs no map entry per use. A slot whose statement is out still counts towards the
 * capacity until it is evicted, so at most {@code capacity} statements are ever idle. Worker thread only.
 */
final class StatementCache {
    private final EngineConnection connection;
    private final int capacity;
    private final LinkedHashMap<String, Slot> slots;

    StatementCache(EngineConnection connection, int capacity) {
        this.connection = connection;
        this.capacity = capacity;
        this.slots = new LinkedHashMap<>(16, 0.75f, true);
    }

    EngineStatement acquire(String sql) {
        Slot slot = slots.get(sql);
        if (slot != null && slot.idle != null) {
            EngineStatement ps = slot.idle;
            slot.idle = null;
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
        Slot slot = slots.get(sql);
        if (slot != null) {
            EngineStatement previous = slot.idle;
            slot.idle = ps;
            if (previous != null && previous != ps) {
                closeQuietly(previous);
            }
            return;
        }
        slots.put(sql, new Slot(ps));
        if (slots.size() > capacity) {
            Iterator<Map.Entry<String, Slot>> it = slots.entrySet().iterator();
            closeQuietly(it.next().getValue().idle);
            it.remove();
        }
    }

    /** The number of idle statements. */
    int size() {
        int n = 0;
        for (Slot slot : slots.values()) {
            if (slot.idle != null) {
                n++;
            }
        }
        return n;
    }

    void clear() {
        for (Slot slot : slots.values()) {
            closeQuietly(slot.idle);
            slot.idle = null;
        }
        slots.clear();
    }

    /** A text's place in the cache; holds its statement while idle. */
    private static final class Slot {
        EngineStatement idle;

        Slot(EngineStatement idle) {
            this.idle = idle;
        }
    }

    static void closeQuietly(EngineStatement s) {
        if (s != null) {
            s.close();
        }
    }
}
