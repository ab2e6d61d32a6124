package io.sqliteasync.examples;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sqlite.SQLiteException;

/**
 * The README's demo: what sqlite-async is for, side by side with plain sqlite-jdbc, in one run.
 *
 * <ol>
 *   <li>An event loop (one thread) must run a tick every 5 ms while it also starts some long queries. Through
 *       sqlite-async the loop only submits them and keeps ticking; calling sqlite-jdbc on the loop thread blocks it
 *       for each query. The demo prints the worst tick delay of each.</li>
 *   <li>50 concurrent writers, each running a transaction that reads and then inserts, and reading its rows back:
 *       through a {@link Database} (one writer, {@code BEGIN IMMEDIATE}) and with plain sqlite-jdbc connections from a
 *       thread pool (sqlite-jdbc's defaults: deferred transactions, 3 s busy timeout, no retries). The demo counts the
 *       tasks that failed with "database is locked" ({@code SQLITE_BUSY*}) in each.</li>
 * </ol>
 *
 * It only prints what it measured; nothing here is asserted, and the figures depend on the machine.
 */
public final class ConcurrentDemo {
    private static final long TICK_MS = 5;
    private static final int LONG_QUERIES = 6;
    private static final long TARGET_QUERY_MS = 150;
    private static final int WRITERS = 50;
    private static final int ROWS_PER_WRITER = 20;
    private static final int JDBC_POOL_THREADS = 8;
    private static final String LONG_QUERY =
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT sum(x % 7) FROM c";

    private ConcurrentDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args optional: a directory for the database files (default: a new temporary directory)
     * @throws Exception if the demo itself fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Files.createDirectories(Path.of(args[0]))
                : Files.createTempDirectory("sqlite-async-demo");
        long start = System.nanoTime();
        String version;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            version = rs.getString(1);
        }
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf("sqlite-async demo: Java %s, SQLite %s, %d cores (load average %.1f), files in %s%n%n",
                Runtime.version(), version, Runtime.getRuntime().availableProcessors(), load, dir);

        eventLoop(dir.resolve("loop.db"));
        System.out.println();
        writers(dir.resolve("async-writers.db"), dir.resolve("jdbc-writers.db"));
        System.out.printf("%ndone in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1) The event loop

    private static void eventLoop(Path file) throws Exception {
        long n = calibrate(file);
        try (Connection jdbc = DriverManager.getConnection("jdbc:sqlite:" + file);
                AsyncConnection async = AsyncConnection.open(file.toString()).join()) {
            async.fetchOne(LONG_QUERY, 10).join();                    // warm up: worker started, statement cached
            TickResult viaAsync = tick(loop -> {
                CountDownLatch done = new CountDownLatch(LONG_QUERIES);
                for (int i = 0; i < LONG_QUERIES; i++) {
                    // The loop thread only submits; SQLite runs on the connection's worker thread.
                    loop.execute(() -> async.fetchOne(LONG_QUERY, n).whenComplete((row, e) -> done.countDown()));
                }
                return done::await;
            });
            TickResult viaJdbc = tick(loop -> {
                CountDownLatch done = new CountDownLatch(LONG_QUERIES);
                for (int i = 0; i < LONG_QUERIES; i++) {
                    // The same query called directly: the loop thread runs SQLite itself until the query ends.
                    loop.execute(() -> {
                        try (PreparedStatement ps = jdbc.prepareStatement(LONG_QUERY)) {
                            ps.setLong(1, n);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                            }
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        } finally {
                            done.countDown();
                        }
                    });
                }
                return done::await;
            });

            System.out.printf("1) An event loop thread ticks every %d ms and starts %d long queries (about %d ms each)%n",
                    TICK_MS, LONG_QUERIES, TARGET_QUERY_MS);
            System.out.printf("   %-48s %16s %18s %12s%n", "", "worst tick delay", "ticks > 20 ms late", "queries took");
            print("sqlite-async: loop submits, worker runs", viaAsync);
            print("sqlite-jdbc called on the loop thread", viaJdbc);
            System.out.println("   (A loop thread runs one task at a time: while it runs SQLite itself, no tick can run.)");
        }
    }

    /** Chooses the recursion depth that makes one long query take about TARGET_QUERY_MS on this machine. */
    private static long calibrate(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement ps = c.prepareStatement(LONG_QUERY)) {
            long n = 100_000;
            for (int round = 0; round < 4; round++) {
                long t0 = System.nanoTime();
                ps.setLong(1, n);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
                double ms = Math.max(1, (System.nanoTime() - t0) / 1e6);
                n = Math.max(10_000, Math.min(20_000_000, (long) (n * TARGET_QUERY_MS / ms)));
            }
            return n;
        }
    }

    @FunctionalInterface
    private interface Workload {
        /** Starts the work from the loop thread's point of view and returns how to wait for its end. */
        Waiter start(ScheduledExecutorService loop) throws Exception;
    }

    @FunctionalInterface
    private interface Waiter {
        void await() throws Exception;
    }

    private record TickResult(double worstMs, int late, int ticks, double workMs) {
    }

    /** Runs a 5 ms ticker on a single-thread loop, starts the work after 100 ms, stops 100 ms after it ended. */
    private static TickResult tick(Workload work) throws Exception {
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "event-loop");
            t.setDaemon(true);
            return t;
        });
        try {
            long period = TimeUnit.MILLISECONDS.toNanos(TICK_MS);
            long first = System.nanoTime() + period;
            AtomicInteger count = new AtomicInteger();
            long[] worst = new long[1];
            int[] late = new int[1];
            ScheduledFuture<?> ticker = loop.scheduleAtFixedRate(() -> {
                // Tick k was due at first + k * period; fixed-rate scheduling runs missed ticks late, not never.
                long delay = System.nanoTime() - (first + count.getAndIncrement() * period);
                worst[0] = Math.max(worst[0], delay);
                if (delay > TimeUnit.MILLISECONDS.toNanos(20)) {
                    late[0]++;
                }
            }, period, period, TimeUnit.NANOSECONDS);
            Thread.sleep(100);
            long t0 = System.nanoTime();
            Waiter waiter = work.start(loop);
            waiter.await();
            double workMs = (System.nanoTime() - t0) / 1e6;
            Thread.sleep(100);
            ticker.cancel(false);
            // Read the counters on the loop thread, which wrote them.
            return loop.submit(() -> new TickResult(worst[0] / 1e6, late[0], count.get(), workMs)).get();
        } finally {
            loop.shutdownNow();
        }
    }

    private static void print(String what, TickResult r) {
        System.out.printf("   %-48s %13.1f ms %18s %9.0f ms%n", what, r.worstMs(), r.late() + " of " + r.ticks(),
                r.workMs());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2) Concurrent writers

    private static void writers(Path asyncFile, Path jdbcFile) throws Exception {
        String schema = "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, task INTEGER NOT NULL, "
                + "seq INTEGER NOT NULL, note TEXT NOT NULL)";

        // sqlite-async: one Database; every task's transaction queues for the single writer.
        WriterResult viaDatabase;
        try (Database db = Database.open(DatabaseOptions.builder(asyncFile.toString()).build()).join()) {
            db.execute(schema).join();
            long t0 = System.nanoTime();
            List<CompletableFuture<Void>> tasks = new ArrayList<>();
            Map<String, Integer> failures = new TreeMap<>();
            for (int t = 0; t < WRITERS; t++) {
                int task = t;
                tasks.add(db.transaction(tx -> tx.fetchOne("SELECT count(*) FROM items WHERE task = ?", task)
                        .thenCompose(before -> {
                            CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
                            for (int i = 0; i < ROWS_PER_WRITER; i++) {
                                int seq = (int) before.getLong(0) + i;
                                chain = chain.thenCompose(x -> tx.execute(
                                        "INSERT INTO items(task, seq, note) VALUES (?, ?, ?)", task, seq, "row " + seq));
                            }
                            return chain;
                        }))
                        .thenCompose(x -> db.fetchOne("SELECT count(*) FROM items WHERE task = ?", task))
                        .thenAccept(row -> check(task, row.getLong(0)))
                        .exceptionally(e -> {
                            synchronized (failures) {
                                failures.merge(reason(e), 1, Integer::sum);
                            }
                            return null;
                        }));
            }
            CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).join();
            viaDatabase = new WriterResult(failures, (System.nanoTime() - t0) / 1e6);
        }

        // Plain sqlite-jdbc: a connection per task from a thread pool, sqlite-jdbc's defaults, no retries.
        String url = "jdbc:sqlite:" + jdbcFile;
        long busyTimeout;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute(schema);
            try (ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
                rs.next();
                busyTimeout = rs.getLong(1);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(JDBC_POOL_THREADS);
        WriterResult viaJdbc;
        try {
            long t0 = System.nanoTime();
            List<Future<String>> tasks = new ArrayList<>();
            for (int t = 0; t < WRITERS; t++) {
                int task = t;
                tasks.add(pool.submit(() -> jdbcWriter(url, task)));
            }
            Map<String, Integer> failures = new TreeMap<>();
            for (Future<String> f : tasks) {
                String failure = f.get();
                if (failure != null) {
                    failures.merge(failure, 1, Integer::sum);
                }
            }
            viaJdbc = new WriterResult(failures, (System.nanoTime() - t0) / 1e6);
        } finally {
            pool.shutdown();
        }

        System.out.printf("2) %d concurrent writers; each: BEGIN, read its row count, insert %d rows, COMMIT, read"
                + " them back%n", WRITERS, ROWS_PER_WRITER);
        System.out.printf("   %-48s %9s %9s %9s   %s%n", "", "succeeded", "failed", "took", "failed with");
        print("sqlite-async Database.transaction", viaDatabase);
        print("sqlite-jdbc, " + JDBC_POOL_THREADS + " pool threads, a connection each", viaJdbc);
        System.out.printf("   (SQLITE_BUSY is \"database is locked\". sqlite-jdbc ran with its defaults: deferred BEGIN,"
                + " busy timeout %d ms,%n    no retries. A transaction that read first cannot wait for the write lock:"
                + " SQLite fails it at once.%n    The Database begins every transaction IMMEDIATE on its one writer,"
                + " so writers queue instead.)%n", busyTimeout);
    }

    /** One task with plain JDBC; returns null when it succeeded, else why it failed. */
    private static String jdbcWriter(String url, int task) {
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);                                    // sqlite-jdbc: BEGIN DEFERRED
            long before;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM items WHERE task = ?")) {
                ps.setInt(1, task);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    before = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO items(task, seq, note) VALUES (?, ?, ?)")) {
                for (int i = 0; i < ROWS_PER_WRITER; i++) {
                    long seq = before + i;
                    ps.setInt(1, task);
                    ps.setLong(2, seq);
                    ps.setString(3, "row " + seq);
                    ps.executeUpdate();
                }
            }
            c.commit();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM items WHERE task = ?")) {
                ps.setInt(1, task);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    check(task, rs.getLong(1));
                }
            }
            return null;
        } catch (SQLException | RuntimeException e) {
            return reason(e);
        }
    }

    private static void check(int task, long rows) {
        if (rows != ROWS_PER_WRITER) {
            throw new IllegalStateException("task " + task + " reads back " + rows + " rows, not " + ROWS_PER_WRITER);
        }
    }

    /** A short name for a failure: SQLite's result code when there is one. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException) {
                return ((SQLiteException) t).getResultCode().name();
            }
            if (t instanceof io.sqliteasync.SqliteException) {
                return "SQLite code " + ((io.sqliteasync.SqliteException) t).extendedResultCode();
            }
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private record WriterResult(Map<String, Integer> failures, double ms) {
        int failed() {
            return failures.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private static void print(String what, WriterResult r) {
        StringBuilder why = new StringBuilder();
        r.failures().forEach((k, v) -> why.append(why.length() == 0 ? "" : ", ").append(v).append(" x ").append(k));
        System.out.printf("   %-48s %9d %9d %6.0f ms   %s%n", what, WRITERS - r.failed(), r.failed(), r.ms(),
                why.length() == 0 ? "none" : why);
    }
}
