package io.sqliteasync.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent reads over a database file much bigger than SQLite's page cache: rows per second with 1, 2, 4 and 8
 * readers, for sqlite-async's {@link Database} (that many reader connections) against HikariCP + sqlite-jdbc (a pool
 * of that many connections). Both sides are driven alike: as many platform caller threads as readers, each running
 * the same query in a loop ({@code Database.fetchAll(...).join()} on one side, a JDBC statement from the pool read
 * with {@code getObject} on the other). Every connection on both sides runs with {@code PRAGMA cache_size=-512}
 * (512 KiB), so a query over a random range of the ~{@code rows * 230} byte file mostly misses SQLite's page cache and
 * reads pages from the operating system; the file itself stays in the OS cache (no disk I/O is measured). Each
 * repetition runs every reader count and both implementations in turn, so noise hits them alike. Writes
 * {@code reads.tsv} to {@code --out}.
 *
 * <p>Options: {@code --quick}, {@code --rows n} (default 200 000), {@code --seconds s} per measurement (default 2),
 * {@code --reps n} (default 3), {@code --out dir}.
 */
public final class ConcurrentReads {
    static final int[] READERS = {1, 2, 4, 8};
    private static final int CACHE_KIB = 512;
    private static final int RANGE = 100;
    private static final String QUERY = "SELECT id, a, b, payload FROM data WHERE id >= ? ORDER BY id LIMIT " + RANGE;

    private ConcurrentReads() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args);
        long rows = a.number("rows", 200_000, 50_000);
        double seconds = a.number("seconds", 2, 1);
        int reps = (int) a.number("reps", 3, 1);
        Path dir = Files.createTempDirectory("concurrent-reads");
        Path file = dir.resolve("reads.db");
        create(file, rows);
        System.out.printf(Locale.ROOT, "file %.1f MiB, %d rows, cache_size %d KiB per connection, load average %s%n",
                Files.size(file) / (1024.0 * 1024), rows, CACHE_KIB, CpuHogs.loadAverage());
        List<String> lines = new ArrayList<>();
        for (int rep = 1; rep <= reps; rep++) {
            for (int n : READERS) {
                double ours = ours(file, n, rows, seconds);
                double hikari = hikari(file, n, rows, seconds);
                lines.add(Tsv.row("sqlite-async", n, rep, String.format(Locale.ROOT, "%.0f", ours)));
                lines.add(Tsv.row("hikari-sqlite-jdbc", n, rep, String.format(Locale.ROOT, "%.0f", hikari)));
                System.out.printf(Locale.ROOT, "rep %d readers %d: sqlite-async %.0f rows/s, hikari %.0f rows/s%n",
                        rep, n, ours, hikari);
            }
            Tsv.write(a.out().resolve("reads.tsv"), "impl\treaders\trep\trows_per_s", lines);
        }
        List<String> meta = new ArrayList<>();
        meta.add(Tsv.row("rows", rows));
        meta.add(Tsv.row("file_mib", String.format(Locale.ROOT, "%.1f", Files.size(file) / (1024.0 * 1024))));
        meta.add(Tsv.row("cache_kib", CACHE_KIB));
        meta.add(Tsv.row("seconds", seconds));
        meta.add(Tsv.row("reps", reps));
        meta.add(Tsv.row("loadavg_end", CpuHogs.loadAverage()));
        Tsv.write(a.out().resolve("reads_env.tsv"), "key\tvalue", meta);
        for (String suffix : new String[] {"-wal", "-shm", ""}) {
            Files.deleteIfExists(dir.resolve("reads.db" + suffix));
        }
        Files.deleteIfExists(dir);
    }

    private static void create(Path file, long rows) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE data(id INTEGER PRIMARY KEY, a INTEGER, b REAL, payload TEXT)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ") "
                    + "INSERT INTO data SELECT i, i * 7919 % 1000003, i / 7.0, hex(randomblob(100)) FROM n");
        }
    }

    /** Platform caller threads, each running the query in a loop until the period ends; returns rows per second. */
    private static double drive(int threads, double seconds, Reader reader) throws Exception {
        drive0(threads, Math.max(0.5, seconds / 4), reader);
        return drive0(threads, seconds, reader);
    }

    private static double drive0(int threads, double seconds, Reader reader) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong total = new AtomicLong();
        List<Thread> callers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                long n = 0;
                try {
                    while (running.get()) {
                        n += reader.read(ThreadLocalRandom.current());
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
                total.addAndGet(n);
            });
            callers.add(t);
        }
        long t0 = System.nanoTime();
        callers.forEach(Thread::start);
        Thread.sleep((long) (seconds * 1000));
        running.set(false);
        for (Thread t : callers) {
            t.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a reader failed", failures.get(0));
        }
        return total.get() / elapsed;
    }

    private static double ours(Path file, int readers, long rows, double seconds) throws Exception {
        DatabaseOptions options = DatabaseOptions.builder(file.toString()).readers(readers).cacheSize(-CACHE_KIB)
                .build();
        try (Database db = Database.open(options).join()) {
            return drive(readers, seconds, random -> {
                List<Row> r = db.fetchAll(QUERY, 1 + random.nextLong(rows - RANGE)).join();
                return r.size();
            });
        }
    }

    private static double hikari(Path file, int readers, long rows, double seconds) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + file);
        config.setMaximumPoolSize(readers);
        config.setMinimumIdle(readers);
        config.setConnectionInitSql("PRAGMA cache_size=-" + CACHE_KIB);
        try (HikariDataSource ds = new HikariDataSource(config)) {
            return drive(readers, seconds, random -> {
                int n = 0;
                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(QUERY)) {
                    ps.setLong(1, 1 + random.nextLong(rows - RANGE));
                    try (ResultSet rs = ps.executeQuery()) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            Object[] v = new Object[columns];
                            for (int i = 0; i < columns; i++) {
                                v[i] = rs.getObject(i + 1);
                            }
                            n++;
                        }
                    }
                }
                return n;
            });
        }
    }

    /** One query by one caller; returns the rows read. */
    private interface Reader {
        int read(ThreadLocalRandom random) throws Exception;
    }
}
