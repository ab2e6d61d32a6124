package io.sqliteasync.bench;

import io.sqliteasync.AsyncConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Carrier stalls: a 5 ms {@link Ticker} on a virtual thread while four virtual threads each run a CPU-bound query of
 * at least a second (a recursive CTE counting to tens of millions), (a) on plain sqlite-jdbc called directly from the
 * virtual threads, which pins a carrier for the whole native call, and (b) through sqlite-async's blocking view,
 * where the virtual threads only wait and SQLite runs on the connections' platform workers. Reports the ticker's
 * worst lateness while the queries run. Must run with {@code -Djdk.virtualThreadScheduler.parallelism=2} (bench/run
 * passes it); refuses to run otherwise. Writes {@code stall.tsv} to {@code --out}.
 */
public final class Stall {
    private static final String QUERY = "WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c WHERE x < ?)"
            + " SELECT count(*) FROM c";
    private static final int QUERIES = 4;
    private static final double QUERY_SECONDS = 1.25;

    private Stall() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code --out dir}; {@code --quick} is accepted and changes nothing, the queries must last a second
     * @throws Exception when a query fails
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args);
        String parallelism = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        if (!"2".equals(parallelism)) {
            throw new IllegalStateException("run with -Djdk.virtualThreadScheduler.parallelism=2 (was " + parallelism
                    + ")");
        }
        long n = calibrate();
        List<String> lines = new ArrayList<>();
        lines.add(measure("sqlite-jdbc-direct", n, Stall::jdbcQuery));
        lines.add(measure("sqlite-async-blocking", n, Stall::asyncQuery));
        for (String l : lines) {
            System.out.println(l.replace('\t', ' '));
        }
        Tsv.write(a.out().resolve("stall.tsv"),
                "mode\tworst_delay_ms\tquery_s_median\tqueries\tcount_to\tticks\tparallelism", lines);
    }

    /** Chooses the count so that one query takes about {@link #QUERY_SECONDS} on this machine. */
    private static long calibrate() throws SQLException {
        long probe = 2_000_000;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            count(c, probe / 10);
            long t0 = System.nanoTime();
            count(c, probe);
            double seconds = (System.nanoTime() - t0) / 1e9;
            return Math.max(probe, (long) (probe * QUERY_SECONDS / seconds));
        }
    }

    private static long count(Connection c, long n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(QUERY)) {
            ps.setLong(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One query style: called on a virtual thread, runs the count and closes what it opened. */
    private interface QueryRunner {
        long run(long n) throws Exception;
    }

    private static long jdbcQuery(long n) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            return count(c, n);
        }
    }

    private static long asyncQuery(long n) {
        try (AsyncConnection c = AsyncConnection.open(":memory:").join()) {
            return c.blocking().fetchOne(QUERY, n).getLong(0);
        }
    }

    private static String measure(String mode, long n, QueryRunner runner) throws Exception {
        runner.run(1000);
        Ticker ticker = new Ticker();
        Thread.sleep(200);
        long[] durations = new long[QUERIES];
        Throwable[] failures = new Throwable[QUERIES];
        Thread[] threads = new Thread[QUERIES];
        long from = System.nanoTime();
        for (int i = 0; i < QUERIES; i++) {
            int k = i;
            threads[i] = Thread.ofVirtual().name("bench-query-" + i).start(() -> {
                long t0 = System.nanoTime();
                try {
                    if (runner.run(n) != n) {
                        throw new IllegalStateException("wrong count");
                    }
                } catch (Throwable t) {
                    failures[k] = t;
                }
                durations[k] = System.nanoTime() - t0;
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        long to = System.nanoTime();
        Thread.sleep(50);
        ticker.stop();
        for (Throwable t : failures) {
            if (t != null) {
                throw new IllegalStateException(mode + " query failed", t);
            }
        }
        long[] sorted = durations.clone();
        java.util.Arrays.sort(sorted);
        double median = (sorted[QUERIES / 2 - 1] + sorted[QUERIES / 2]) / 2e9;
        return Tsv.row(mode, String.format(Locale.ROOT, "%.1f", ticker.worstDelay(from, to) / 1e6),
                String.format(Locale.ROOT, "%.3f", median), QUERIES, n, ticker.ticksWithin(from, to),
                System.getProperty("jdk.virtualThreadScheduler.parallelism"));
    }
}
