package io.sqliteasync.bench;

import io.sqliteasync.bench.Workload.Semantics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Some aio_bench drivers at one prefetch size, interleaved and repeated: for profiling (attach a profiler to this JVM) and for quick
 * A/B checks between builds. Not part of {@code bench/run}.
 *
 * <p>Options: {@code --drivers a,b,...} (interleaved in every repetition; ratios to the first: {@code join}, {@code vthread}, {@code chain}, {@code loop}, {@code sync},
 * {@code floor}, {@code floor-nomutex}; default {@code join}), {@code --prefetch n} (default 512), {@code --semantics}
 * ({@code autocommit} or {@code atomic}), {@code --target n}, {@code --reps n} (default 20),
 * {@code --hogs n} (CPU-hog threads running throughout, default 0).
 */
public final class AioOne {
    private AioOne() {
    }

    /**
     * Runs the chosen driver {@code --reps} times and prints each wall time and the median.
     *
     * @param args see the class comment
     * @throws Exception when a run fails
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args);
        List<AioDriver> drivers = new ArrayList<>();
        for (String name : a.text("drivers", "join").split(",")) {
            drivers.add(driver(name));
        }
        int prefetch = (int) a.number("prefetch", 512, 512);
        Semantics sem = a.text("semantics", "autocommit").equals("atomic") ? Semantics.ATOMIC : Semantics.AUTOCOMMIT;
        long target = a.number("target", Workload.FULL_TARGET, 30_000);
        int reps = (int) a.number("reps", 20, 5);
        long[][] walls = new long[drivers.size()][reps];
        int hogCount = (int) a.number("hogs", 0, 0);
        try (CpuHogs hogs = hogCount > 0 ? new CpuHogs(hogCount) : null) {
            run(drivers, prefetch, sem, target, reps, walls);
        }
        printMedians(drivers, reps, walls);
    }

    private static void run(List<AioDriver> drivers, int prefetch, Semantics sem, long target, int reps,
            long[][] walls) throws Exception {
        for (int i = 0; i < reps; i++) {
            for (int d = 0; d < drivers.size(); d++) {
                Sample s = drivers.get(d).run(prefetch, sem, target);
                walls[d][i] = s.wall();
                System.out.printf(Locale.ROOT, "%-14s %s %d rep %d wall %.3f worker %.3f%n", drivers.get(d).style(),
                        sem.label, prefetch, i, s.wall() / 1e9, s.cpuWorker() / 1e9);
            }
        }
    }

    private static void printMedians(List<AioDriver> drivers, int reps, long[][] walls) {
        double first = 0;
        for (int d = 0; d < drivers.size(); d++) {
            long[] sorted = walls[d].clone();
            Arrays.sort(sorted);
            double median = sorted[reps / 2] / 1e9;
            if (d == 0) {
                first = median;
            }
            System.out.printf(Locale.ROOT, "%-14s min %.3f median %.3f max %.3f  median / first %.2fx%n",
                    drivers.get(d).style(), sorted[0] / 1e9, median, sorted[reps - 1] / 1e9, median / first);
        }
        System.out.println("load average " + CpuHogs.loadAverage());
    }

    private static AioDriver driver(String name) {
        return switch (name) {
            case "join" -> new JoiningDriver();
            case "vthread" -> new VirtualBlockingDriver();
            case "chain" -> new ChainDriver(false);
            case "loop" -> new ChainDriver(true);
            case "sync" -> new JdbcSyncDriver();
            case "floor" -> new FloorDriver();
            case "floor-nomutex" -> new FloorDriver(true);
            default -> throw new IllegalArgumentException("unknown driver " + name);
        };
    }
}
