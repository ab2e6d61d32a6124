package io.sqliteasync.bench;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.bench.Workload.Semantics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The aio_bench port (see {@code AIO_BENCH_SPEC.md}). For every prefetch size, repetition, semantics and driver, in
 * that nesting (drivers interleaved as in the original), it runs the loop once on a fresh {@code :memory:}
 * connection and records one {@link Sample}. Every driver first runs a few unmeasured warm-up loops so that the
 * figures are for JIT-compiled code. Writes {@code aio.tsv} (raw samples) and {@code env.tsv} (versions) to
 * {@code --out}; {@link Report} turns them into tables. Then it runs the under-load variant (see {@link #underLoad})
 * into {@code aio_load.tsv}, and writes the load averages to {@code loadavg.tsv}.
 *
 * <p>Options: {@code --quick} (row target 30 000, one measured repetition), {@code --target n}, {@code --reps n},
 * {@code --out dir}.
 */
public final class AioBench {
    private AioBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args see the class comment
     * @throws Exception when a run fails
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args);
        long target = a.number("target", Workload.FULL_TARGET, 30_000);
        int reps = (int) a.number("reps", 5, 1);
        List<AioDriver> drivers = List.of(new JoiningDriver(), new VirtualBlockingDriver(), new ChainDriver(false),
                new ChainDriver(true), new JdbcSyncDriver(), new FloorDriver(), new FloorDriver(true));
        String loadBefore = CpuHogs.loadAverage();
        System.out.println("load average before: " + loadBefore);

        writeEnvironment(a, target, reps);
        warmUp(drivers, a.quick());

        List<String> lines = new ArrayList<>();
        Long expectedCount = null;
        for (int prefetch : Workload.PREFETCHES) {
            for (int rep = 1; rep <= reps; rep++) {
                for (Semantics sem : Semantics.values()) {
                    for (AioDriver d : drivers) {
                        System.gc();
                        Sample s = d.run(prefetch, sem, target);
                        if (expectedCount == null) {
                            expectedCount = s.finalCount();
                        } else if (expectedCount != s.finalCount()) {
                            throw new IllegalStateException(d.style() + " ended at " + s.finalCount()
                                    + " rows, others at " + expectedCount);
                        }
                        lines.add(Tsv.row(d.library(), d.style(), sem.label, prefetch, rep, s.wall(), s.cpuTotal(),
                                s.cpuCaller(), s.cpuCallerUser(), s.cpuWorker(), s.finalCount()));
                        System.out.printf(Locale.ROOT, "%-16s %-16s %-10s %6d  wall %7.3f  cpu %7.3f  caller %7.3f"
                                        + "  worker %7.3f%n", d.library(), d.style(), sem.label, prefetch,
                                s.wall() / 1e9, s.cpuTotal() / 1e9, s.cpuCaller() / 1e9, s.cpuWorker() / 1e9);
                    }
                }
            }
            // Written after every prefetch size so that an interrupted run still leaves usable data.
            Tsv.write(a.out().resolve("aio.tsv"), HEADER, lines);
        }
        String loadAfter = CpuHogs.loadAverage();
        System.out.println("load average after: " + loadAfter);
        underLoad(a, drivers, target, reps);
        List<String> load = new ArrayList<>();
        load.add(Tsv.row("aio_bench_start", loadBefore));
        load.add(Tsv.row("aio_bench_end", loadAfter));
        load.add(Tsv.row("under_load_end", CpuHogs.loadAverage()));
        Tsv.write(a.out().resolve("loadavg.tsv"), "when\tload_1_5_15", load);
    }

    /** Prefetch sizes of the under-load runs. */
    static final int[] LOAD_PREFETCHES = {1, 64, 65536};
    /** Busy threads running beside the under-load runs. */
    static final int HOGS = 2;

    /** The under-load runs use this fraction of the row target, to keep the section short; ratios are unaffected. */
    static final int LOAD_TARGET_DIVISOR = 3;

    /**
     * The same loop, autocommit only, at a few prefetch sizes and a third of the row target, with {@link #HOGS}
     * CPU-hog threads running the whole time; every driver in each repetition, so the load hits all alike. Writes
     * {@code aio_load.tsv}.
     */
    private static void underLoad(Args a, List<AioDriver> drivers, long fullTarget, int reps) throws Exception {
        long target = fullTarget / LOAD_TARGET_DIVISOR;
        List<String> lines = new ArrayList<>();
        try (CpuHogs hogs = new CpuHogs(HOGS)) {
            for (int prefetch : LOAD_PREFETCHES) {
                for (int rep = 1; rep <= reps; rep++) {
                    for (AioDriver d : drivers) {
                        System.gc();
                        Sample s = d.run(prefetch, Semantics.AUTOCOMMIT, target);
                        lines.add(Tsv.row(d.library(), d.style(), Semantics.AUTOCOMMIT.label, prefetch, rep, s.wall(),
                                s.cpuTotal(), s.cpuCaller(), s.cpuCallerUser(), s.cpuWorker(), s.finalCount()));
                        System.out.printf(Locale.ROOT, "under load: %-16s %-16s %6d  wall %7.3f%n", d.library(),
                                d.style(), prefetch, s.wall() / 1e9);
                    }
                }
                Tsv.write(a.out().resolve("aio_load.tsv"), HEADER, lines);
            }
        }
    }

    static final String HEADER = "library\tstyle\tsemantics\tprefetch\trep\twall_ns\tcpu_total_ns\tcpu_caller_ns"
            + "\tcpu_caller_user_ns\tcpu_worker_ns\tfinal_count";

    private static void warmUp(List<AioDriver> drivers, boolean quick) throws Exception {
        long big = quick ? 20_000 : 100_000;
        int rounds = quick ? 1 : 3;
        for (int i = 0; i < rounds; i++) {
            for (Semantics sem : Semantics.values()) {
                for (AioDriver d : drivers) {
                    d.run(64, sem, big);
                    d.run(1, sem, 3_000);
                }
            }
        }
    }

    private static void writeEnvironment(Args a, long target, int reps) throws Exception {
        String sqlite;
        try (AsyncConnection c = AsyncConnection.open(":memory:").join()) {
            sqlite = c.sqliteVersion().join();
        }
        String jdbcSqlite;
        String driver;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            jdbcSqlite = c.getMetaData().getDatabaseProductVersion();
            driver = c.getMetaData().getDriverVersion();
        }
        List<String> env = new ArrayList<>();
        env.add(Tsv.row("mode", a.quick() ? "quick" : "full"));
        env.add(Tsv.row("target", target));
        env.add(Tsv.row("reps", reps));
        env.add(Tsv.row("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version")));
        env.add(Tsv.row("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch")));
        env.add(Tsv.row("cpu", Machine.cpuModel()));
        env.add(Tsv.row("vcpus", Runtime.getRuntime().availableProcessors()));
        env.add(Tsv.row("memory_gib", String.format(Locale.ROOT, "%.1f", Cpu.totalMemory() / (1024.0 * 1024 * 1024))));
        env.add(Tsv.row("sqlite_async", sqlite));
        env.add(Tsv.row("sqlite_jdbc_sqlite", jdbcSqlite));
        env.add(Tsv.row("sqlite_jdbc", driver));
        env.add(Tsv.row("date", java.time.LocalDate.now()));
        Tsv.write(a.out().resolve("env.tsv"), "key\tvalue", env);
    }
}
