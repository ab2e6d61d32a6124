package io.sqliteasync.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.SqliteBusyException;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Concurrent small write transactions on one WAL file: 1, 8, 64 and 256 writers, each committing one transaction at a
 * time (insert one row; a trigger updates that writer's counter in the same statement, so every transaction writes two
 * rows atomically), under {@code synchronous=FULL} and {@code synchronous=NORMAL}. Compared, interleaved in each
 * repetition on a fresh file: sqlite-async {@link Database} without and with group commit (and, with group commit, a
 * row whose unit is a {@code db.transaction(fn)} that inserts the row and then updates its payload), HikariCP over
 * sqlite-jdbc run on a fixed thread pool (8 connections, 8 threads, {@code busy_timeout} 5 s, a transaction that fails
 * with {@code SQLITE_BUSY} retried and counted), and Vert.x's {@code JDBCPool} over sqlite-jdbc (8 connections, the
 * same retry). Writers are asynchronous chains: each starts its next transaction when the previous one completed;
 * latency runs from the call to the completion the writer sees.
 *
 * <p>Prints, per configuration, transactions per second (min / median / max over repetitions), the median p50 and p99
 * latency, busy errors (all repetitions) and the ratio of median throughput to HikariCP's; the load average before and
 * after. Each repetition checks that the file holds exactly the acknowledged transactions.
 *
 * <p>Usage: {@code ConcurrentTransactions [--quick] [--out file.md]}.
 */
public final class ConcurrentTransactions {
    private static final int[] WRITERS = {1, 8, 64, 256};
    private static final String[] SYNC = {"FULL", "NORMAL"};
    private static final int JDBC_POOL = 8;
    private static final int BUSY_TIMEOUT_MS = 5000;
    private static final String INSERT = "INSERT INTO events(writer, payload) VALUES (?, ?)";
    private static final String PAYLOAD = "x".repeat(64);

    private ConcurrentTransactions() {
    }

    /** One library under test, opened on a fresh file. */
    interface Impl {
        String name();

        Target open(Path file, String sync) throws Exception;
    }

    /** An open client: runs one transaction for a writer. */
    interface Target extends AutoCloseable {
        CompletableFuture<Void> transaction(int writer);

        long busyErrors();

        @Override
        void close() throws Exception;
    }

    /** One measured run. */
    record Run(double txPerSecond, double p50Millis, double p99Millis, long busy) {
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code --quick} for one short repetition; {@code --out file} to write the markdown table there
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--out")) {
                out = Path.of(args[++i]);
            } else {
                throw new IllegalArgumentException("usage: ConcurrentTransactions [--quick] [--out file.md]");
            }
        }
        int reps = quick ? 1 : 3;
        long warmNanos = TimeUnit.MILLISECONDS.toNanos(quick ? 200 : 300);
        long measureNanos = TimeUnit.MILLISECONDS.toNanos(quick ? 500 : 1200);
        List<Impl> impls = List.of(sqliteAsync(false, false), sqliteAsync(true, false), sqliteAsync(true, true),
                hikari(), vertx());
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "concurrent-tx");
        String loadBefore = loadAverage();
        StringBuilder md = new StringBuilder();
        md.append("Concurrent small write transactions (`io.sqliteasync.bench.ConcurrentTransactions`")
                .append(quick ? ", QUICK MODE" : "").append("): ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ").append(reps).append(" repetitions of ")
                .append(TimeUnit.NANOSECONDS.toMillis(measureNanos)).append(" ms (after ")
                .append(TimeUnit.NANOSECONDS.toMillis(warmNanos)).append(" ms warm-up), implementations interleaved"
                + " in each repetition, fresh WAL file per run, JDK ").append(Runtime.version().feature())
                .append(". Load average before: ").append(loadBefore).append(".\n\n");
        System.out.print(md);
        for (String sync : SYNC) {
            StringBuilder table = new StringBuilder();
            table.append("### synchronous=").append(sync).append("\n\n")
                    .append("| writers | implementation | tx/s min | tx/s median | tx/s max | p50 ms | p99 ms"
                            + " | busy errors | vs HikariCP |\n")
                    .append("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (int writers : WRITERS) {
                Map<String, List<Run>> runs = new LinkedHashMap<>();
                for (Impl impl : impls) {
                    runs.put(impl.name(), new ArrayList<>());
                }
                for (int r = 0; r < reps; r++) {
                    for (Impl impl : impls) {
                        Path file = dir.resolve("bench-" + r + ".db");
                        runs.get(impl.name()).add(run(impl, file, sync, writers, warmNanos, measureNanos));
                        delete(file);
                    }
                }
                double hikari = median(runs.get("HikariCP + sqlite-jdbc"), Run::txPerSecond);
                for (Map.Entry<String, List<Run>> e : runs.entrySet()) {
                    List<Run> rs = e.getValue();
                    double[] tx = rs.stream().mapToDouble(Run::txPerSecond).sorted().toArray();
                    double med = median(rs, Run::txPerSecond);
                    String ratio = hikari > 0 ? String.format(Locale.ROOT, "%.2fx", med / hikari) : "n/a";
                    table.append(String.format(Locale.ROOT,
                            "| %d | %s | %.0f | %.0f | %.0f | %.2f | %.2f | %d | %s |%n", writers, e.getKey(), tx[0],
                            med, tx[tx.length - 1], median(rs, Run::p50Millis), median(rs, Run::p99Millis),
                            rs.stream().mapToLong(Run::busy).sum(), ratio));
                }
                System.out.print(table);
                md.append(table);
                table.setLength(0);
            }
            md.append('\n');
        }
        String after = "Load average after: " + loadAverage() + ".\n";
        System.out.print(after);
        md.append(after);
        delete(dir);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, md.toString());
        }
    }

    private interface RunValue {
        double of(Run r);
    }

    private static double median(List<Run> runs, RunValue v) {
        double[] xs = runs.stream().mapToDouble(v::of).sorted().toArray();
        int n = xs.length;
        return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
    }

    /** Drives {@code writers} asynchronous chains for a warm-up and a measured period on a fresh file. */
    private static Run run(Impl impl, Path file, String sync, int writers, long warmNanos, long measureNanos)
            throws Exception {
        createSchema(file, writers);
        AtomicLong acknowledged = new AtomicLong();
        Chain[] chains = new Chain[writers];
        long busy;
        try (Target t = impl.open(file, sync)) {
            for (int w = 0; w < writers; w++) {
                chains[w] = new Chain(t, w, acknowledged);
            }
            for (Chain c : chains) {
                c.next();
            }
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(warmNanos));
            long start = System.nanoTime();
            for (Chain c : chains) {
                c.measureFrom = start;
            }
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(measureNanos));
            long end = System.nanoTime();
            for (Chain c : chains) {
                c.measureUntil = end;
                c.stop = true;
            }
            for (Chain c : chains) {
                c.done.get(120, TimeUnit.SECONDS);
            }
            busy = t.busyErrors();
        }
        long measured = 0;
        int total = 0;
        for (Chain c : chains) {
            total += c.count;
        }
        long[] latencies = new long[total];
        int at = 0;
        for (Chain c : chains) {
            System.arraycopy(c.latencies, 0, latencies, at, c.count);
            at += c.count;
            measured += c.count;
        }
        Arrays.sort(latencies);
        verify(file, acknowledged.get(), impl.name());
        double seconds = measureNanos / 1e9;
        return new Run(measured / seconds, percentile(latencies, 0.50) / 1e6, percentile(latencies, 0.99) / 1e6,
                busy);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** One writer: starts its next transaction when the previous one completed; records the measured ones. */
    private static final class Chain {
        final Target target;
        final int writer;
        final AtomicLong acknowledged;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile long measureFrom = Long.MAX_VALUE;
        volatile long measureUntil = Long.MAX_VALUE;
        volatile boolean stop;
        long[] latencies = new long[1024];
        int count;

        Chain(Target target, int writer, AtomicLong acknowledged) {
            this.target = target;
            this.writer = writer;
            this.acknowledged = acknowledged;
        }

        void next() {
            if (stop) {
                done.complete(null);
                return;
            }
            long started = System.nanoTime();
            CompletableFuture<Void> f;
            try {
                f = target.transaction(writer);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                return;
            }
            f.whenComplete((v, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                    return;
                }
                acknowledged.incrementAndGet();
                long ended = System.nanoTime();
                // Completed inside the measured window (a long transaction that began before it counts too).
                if (ended - measureFrom >= 0 && ended - measureUntil < 0) {
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = ended - started;
                }
                next();
            });
        }
    }

    private static void createSchema(Path file, int writers) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.executeUpdate("CREATE TABLE events(id INTEGER PRIMARY KEY, writer INTEGER NOT NULL,"
                    + " payload TEXT NOT NULL)");
            s.executeUpdate("CREATE TABLE counters(writer INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
            s.executeUpdate("WITH RECURSIVE w(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM w WHERE i < " + (writers - 1)
                    + ") INSERT INTO counters SELECT i, 0 FROM w");
            s.executeUpdate("CREATE TRIGGER count_events AFTER INSERT ON events BEGIN"
                    + " UPDATE counters SET n = n + 1 WHERE writer = NEW.writer; END");
        }
    }

    private static void verify(Path file, long acknowledged, String impl) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM events), (SELECT sum(n) FROM counters)")) {
            r.next();
            if (r.getLong(1) != acknowledged || r.getLong(2) != acknowledged) {
                throw new IllegalStateException(impl + ": " + acknowledged + " transactions acknowledged, the file"
                        + " holds " + r.getLong(1) + " events and counters summing to " + r.getLong(2));
            }
        }
    }

    private static void delete(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (var files = Files.list(p)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
        } else {
            Files.deleteIfExists(Path.of(p + "-wal"));
            Files.deleteIfExists(Path.of(p + "-shm"));
        }
        Files.deleteIfExists(p);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static boolean isBusy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SqliteBusyException) {
                return true;
            }
            if (t instanceof SQLException) {
                SQLException s = (SQLException) t;
                int code = s.getErrorCode() & 0xff;
                if (code == 5 || code == 6 || String.valueOf(s.getMessage()).contains("SQLITE_BUSY")) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ implementations

    /**
     * sqlite-async's {@link Database}; with {@code unit} each transaction is a {@code db.transaction(fn)} that inserts
     * the row and then updates its payload (two statements in one function, batched by group commit, each unit in a
     * savepoint of its own), otherwise one plain {@code db.execute} of the insert.
     */
    private static Impl sqliteAsync(boolean groupCommit, boolean unit) {
        return new Impl() {
            @Override
            public String name() {
                return unit ? "sqlite-async, group commit, transaction(fn)"
                        : groupCommit ? "sqlite-async, group commit" : "sqlite-async Database";
            }

            @Override
            public Target open(Path file, String sync) {
                Database db = Database.open(DatabaseOptions.builder(file.toString()).readers(2).synchronous(sync)
                        .busyTimeout(java.time.Duration.ofMillis(BUSY_TIMEOUT_MS)).groupCommit(groupCommit).build())
                        .join();
                AtomicLong busy = new AtomicLong();
                return new Target() {
                    @Override
                    public CompletableFuture<Void> transaction(int writer) {
                        CompletableFuture<?> call = unit
                                ? db.transaction(tx -> tx.execute(INSERT, writer, PAYLOAD).thenCompose(r -> tx.execute(
                                        "UPDATE events SET payload = ? WHERE id = ?", PAYLOAD, r.lastInsertRowid())))
                                : db.execute(INSERT, writer, PAYLOAD);
                        return call.handle((r, e) -> {
                            if (e != null) {
                                if (isBusy(e)) {
                                    busy.incrementAndGet();
                                }
                                throw e instanceof CompletionException ? (CompletionException) e
                                        : new CompletionException(e);
                            }
                            return null;
                        });
                    }

                    @Override
                    public long busyErrors() {
                        return busy.get();
                    }

                    @Override
                    public void close() {
                        db.close();
                    }
                };
            }
        };
    }

    private static Impl hikari() {
        return new Impl() {
            @Override
            public String name() {
                return "HikariCP + sqlite-jdbc";
            }

            @Override
            public Target open(Path file, String sync) {
                HikariConfig cfg = new HikariConfig();
                cfg.setJdbcUrl("jdbc:sqlite:" + file);
                cfg.setMaximumPoolSize(JDBC_POOL);
                cfg.setMinimumIdle(JDBC_POOL);
                cfg.addDataSourceProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
                cfg.addDataSourceProperty("synchronous", sync);
                cfg.addDataSourceProperty("journal_mode", "WAL");
                HikariDataSource ds = new HikariDataSource(cfg);
                ExecutorService threads = Executors.newFixedThreadPool(JDBC_POOL);
                AtomicLong busy = new AtomicLong();
                return new Target() {
                    @Override
                    public CompletableFuture<Void> transaction(int writer) {
                        return CompletableFuture.runAsync(() -> {
                            for (;;) {
                                try (Connection c = ds.getConnection();
                                        PreparedStatement ps = c.prepareStatement(INSERT)) {
                                    ps.setInt(1, writer);
                                    ps.setString(2, PAYLOAD);
                                    ps.executeUpdate();
                                    return;
                                } catch (SQLException e) {
                                    if (!isBusy(e)) {
                                        throw new CompletionException(e);
                                    }
                                    busy.incrementAndGet();
                                }
                            }
                        }, threads);
                    }

                    @Override
                    public long busyErrors() {
                        return busy.get();
                    }

                    @Override
                    public void close() throws InterruptedException {
                        threads.shutdown();
                        threads.awaitTermination(60, TimeUnit.SECONDS);
                        ds.close();
                    }
                };
            }
        };
    }

    private static Impl vertx() {
        return new Impl() {
            @Override
            public String name() {
                return "Vert.x JDBCPool + sqlite-jdbc";
            }

            @Override
            public Target open(Path file, String sync) {
                SQLiteConfig config = new SQLiteConfig();
                config.setBusyTimeout(BUSY_TIMEOUT_MS);
                config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(sync));
                config.setJournalMode(SQLiteConfig.JournalMode.WAL);
                SQLiteDataSource ds = new SQLiteDataSource(config);
                ds.setUrl("jdbc:sqlite:" + file);
                Vertx vertx = Vertx.vertx();
                Pool pool = JDBCPool.pool(vertx, ds, new PoolOptions().setMaxSize(JDBC_POOL));
                AtomicLong busy = new AtomicLong();
                return new Target() {
                    @Override
                    public CompletableFuture<Void> transaction(int writer) {
                        CompletableFuture<Void> out = new CompletableFuture<>();
                        attempt(writer, out);
                        return out;
                    }

                    private void attempt(int writer, CompletableFuture<Void> out) {
                        pool.preparedQuery(INSERT).execute(Tuple.of(writer, PAYLOAD)).onComplete(ar -> {
                            if (ar.succeeded()) {
                                out.complete(null);
                            } else if (isBusy(ar.cause())) {
                                busy.incrementAndGet();
                                attempt(writer, out);
                            } else {
                                out.completeExceptionally(ar.cause());
                            }
                        });
                    }

                    @Override
                    public long busyErrors() {
                        return busy.get();
                    }

                    @Override
                    public void close() throws Exception {
                        pool.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                    }
                };
            }
        };
    }
}
