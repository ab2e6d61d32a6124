package io.sqliteasync.bench;

import io.sqliteasync.bench.Workload.Semantics;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;
import org.sqlite.core.DB;
import org.sqlite.core.FloorAccess;
import org.sqlite.core.SafeStmtPtr;

/**
 * The floor: the same loop synchronously on sqlite-jdbc's low-level core API ({@code org.sqlite.core.DB}), on the
 * calling thread, with no JDBC layer at all: prepare, {@code bind_*}, {@code step}, {@code column_*}, {@code reset}.
 * Rows are read by storage class into {@code Object[]} as sqlite-async's engine reads them. {@code atomic} wraps
 * each iteration's inserts in BEGIN/COMMIT; {@code autocommit} leaves each insert its own transaction. This is what
 * a Java program can get out of the same native library, so the ratio to it is the whole cost of the hand-off and
 * the library.
 *
 * <p>The multi-thread variant opens its connection with {@code SQLITE_OPEN_NOMUTEX}, as sqlite-async's engine does
 * (one worker thread per connection): SQLite then takes no connection mutex around each call. It shows how much of
 * the difference to the default floor is that setting rather than the library.
 */
final class FloorDriver implements AioDriver {
    private static final int SQLITE_INTEGER = 1;
    private static final int SQLITE_FLOAT = 2;
    private static final int SQLITE_TEXT = 3;
    private static final int SQLITE_BLOB = 4;
    private static final int SQLITE_ROW = 100;
    private static final int SQLITE_DONE = 101;

    private final boolean multiThread;

    /** The floor as sqlite-jdbc opens connections by default (serialized mode). */
    FloorDriver() {
        this(false);
    }

    /**
     * A floor driver.
     *
     * @param multiThread open with {@code SQLITE_OPEN_NOMUTEX}
     */
    FloorDriver(boolean multiThread) {
        this.multiThread = multiThread;
    }

    @Override
    public String library() {
        return multiThread ? PerfTables.FLOOR_NOMUTEX : PerfTables.FLOOR;
    }

    @Override
    public String style() {
        return multiThread ? "floor-nomutex" : "floor";
    }

    @Override
    public Sample run(int prefetch, Semantics semantics, long target) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        if (multiThread) {
            config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        }
        try (Connection c = config.createConnection("jdbc:sqlite::memory:")) {
            DB db = ((SQLiteConnection) c).getDatabase();
            Meter meter = new Meter(CallerClock.of(Thread.currentThread()), null);
            int rc = db._exec(Workload.SETUP);
            if (rc != 0) {
                throw new SQLException("setup failed with code " + rc);
            }
            SafeStmtPtr count = FloorAccess.prepare(db, Workload.COUNT);
            SafeStmtPtr source = FloorAccess.prepare(db, Workload.SOURCE);
            SafeStmtPtr insert = FloorAccess.prepare(db, Workload.INSERT);
            SafeStmtPtr begin = FloorAccess.prepare(db, "BEGIN");
            SafeStmtPtr commit = FloorAccess.prepare(db, "COMMIT");
            try {
                boolean atomic = semantics == Semantics.ATOMIC;
                return meter.stop(loop(db, count, source, insert, atomic ? begin : null, commit, target));
            } finally {
                for (SafeStmtPtr p : new SafeStmtPtr[] {count, source, insert, begin, commit}) {
                    p.close();
                }
            }
        }
    }

    private static long loop(DB db, SafeStmtPtr count, SafeStmtPtr source, SafeStmtPtr insert, SafeStmtPtr begin,
            SafeStmtPtr commit, long target) throws SQLException {
        long n;
        for (;;) {
            n = count.safeRunLong((d, p) -> {
                check(d, d.step(p), SQLITE_ROW);
                long v = d.column_long(p, 0);
                d.reset(p);
                return v;
            });
            if (n > target) {
                break;
            }
            List<Object[]> data = new ArrayList<>();
            source.safeRunConsume((d, p) -> {
                int rc;
                while ((rc = d.step(p)) == SQLITE_ROW) {
                    data.add(readRow(d, p));
                }
                check(d, rc, SQLITE_DONE);
                d.reset(p);
            });
            if (begin != null) {
                begin.safeRunConsume(FloorDriver::stepOnce);
            }
            insert.safeRunConsume((d, p) -> {
                for (Object[] row : data) {
                    for (int i = 0; i < row.length; i++) {
                        FloorAccess.bind(d, p, i + 1, row[i]);
                    }
                    check(d, d.step(p), SQLITE_DONE);
                    d.reset(p);
                }
            });
            if (begin != null) {
                commit.safeRunConsume(FloorDriver::stepOnce);
            }
        }
        return n;
    }

    private static void stepOnce(DB d, long p) throws SQLException {
        check(d, d.step(p), SQLITE_DONE);
        d.reset(p);
    }

    private static Object[] readRow(DB d, long p) throws SQLException {
        int columns = d.column_count(p);
        Object[] v = new Object[columns];
        for (int i = 0; i < columns; i++) {
            switch (d.column_type(p, i)) {
                case SQLITE_INTEGER -> v[i] = d.column_long(p, i);
                case SQLITE_FLOAT -> v[i] = d.column_double(p, i);
                case SQLITE_TEXT -> v[i] = d.column_text(p, i);
                case SQLITE_BLOB -> v[i] = d.column_blob(p, i);
                default -> v[i] = null;
            }
        }
        return v;
    }

    private static void check(DB d, int rc, int expected) throws SQLException {
        if (rc != expected) {
            d.throwex(rc);
        }
    }
}
