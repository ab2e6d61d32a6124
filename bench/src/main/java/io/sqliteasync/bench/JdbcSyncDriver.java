package io.sqliteasync.bench;

import io.sqliteasync.bench.Workload.Semantics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConnection;

/**
 * The synchronous limit: the same loop on plain sqlite-jdbc, on the calling thread, no hand-off. Inserts are one
 * JDBC batch per loop iteration; {@code autocommit} leaves the connection in autocommit (each row its own
 * transaction), {@code atomic} turns autocommit off and commits after each batch. The setup script runs through
 * {@code sqlite3_exec}, as in sqlite-async, because a JDBC statement runs only the first statement of a script.
 */
final class JdbcSyncDriver implements AioDriver {
    @Override
    public String library() {
        return "sqlite-jdbc-sync";
    }

    @Override
    public String style() {
        return "sync";
    }

    @Override
    public Sample run(int prefetch, Semantics semantics, long target) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            boolean atomic = semantics == Semantics.ATOMIC;
            Meter meter = new Meter(CallerClock.of(Thread.currentThread()), null);
            if (atomic) {
                c.setAutoCommit(false);
            }
            int rc = ((SQLiteConnection) c).getDatabase()._exec(Workload.SETUP);
            if (rc != 0) {
                throw new SQLException("setup failed with code " + rc);
            }
            // sqlite-jdbc prepares eagerly, so the statements can only be prepared once the table exists.
            try (PreparedStatement count = c.prepareStatement(Workload.COUNT);
                    PreparedStatement source = c.prepareStatement(Workload.SOURCE);
                    PreparedStatement insert = c.prepareStatement(Workload.INSERT)) {
                source.setFetchSize(prefetch);
                return meter.stop(loop(count, source, insert, atomic ? c : null, target));
            }
        }
    }

    private static long loop(PreparedStatement count, PreparedStatement source, PreparedStatement insert,
            Connection commitEach, long target) throws SQLException {
        long n;
        for (;;) {
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                n = rs.getLong(1);
            }
            if (n > target) {
                break;
            }
            List<Object[]> data = new ArrayList<>();
            try (ResultSet rs = source.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] v = new Object[columns];
                    for (int i = 0; i < columns; i++) {
                        v[i] = rs.getObject(i + 1);
                    }
                    data.add(v);
                }
            }
            for (Object[] row : data) {
                for (int i = 0; i < row.length; i++) {
                    insert.setObject(i + 1, row[i]);
                }
                insert.addBatch();
            }
            insert.executeBatch();
            if (commitEach != null) {
                commitEach.commit();
            }
        }
        return n;
    }
}
