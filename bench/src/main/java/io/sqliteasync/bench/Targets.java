package io.sqliteasync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Checks the figures against the project's performance targets; one line per target, met or not. */
final class Targets {
    private static final String[] SEMANTICS = {"autocommit", "atomic"};

    private Targets() {
    }

    /** Prefetch sizes of the "prefetch >= 64" targets. */
    private static final int[] LARGE = {64, 512, 8192, 65536};

    static List<String> evaluate(AioResults aio, AioResults load, List<String[]> reads, String style,
            List<String[]> roundTrip, List<String[]> stall) {
        List<String> out = new ArrayList<>();
        for (String sem : SEMANTICS) {
            ratio(out, aio, "", style, sem, new int[] {1}, PerfTables.SYNC, "JDBC sync", 1.5);
            ratio(out, aio, "", style, sem, LARGE, PerfTables.SYNC, "JDBC sync", 0.85);
            ratio(out, aio, "", style, sem, LARGE, PerfTables.FLOOR, "floor", 1.10);
        }
        int[] loaded = java.util.Arrays.stream(AioBench.LOAD_PREFETCHES).filter(p -> p >= 64).toArray();
        ratio(out, load, "under CPU-hog load ", style, "autocommit", loaded, PerfTables.SYNC,
                "JDBC sync under the same load", 1.15);
        double[] one = PerfTables.readSpread(reads, PerfTables.ASYNC, 1);
        double[] two = PerfTables.readSpread(reads, PerfTables.ASYNC, 2);
        if (one != null && two != null) {
            double r = two[1] / one[1];
            out.add(verdict(r >= 1.8, String.format(Locale.ROOT, "concurrent reads: 2 readers >= 1.8x one: %.2fx "
                    + "(%.0f vs %.0f rows/s)", r, two[1], one[1])));
        }
        for (int n : ConcurrentReads.READERS) {
            double[] a = PerfTables.readSpread(reads, PerfTables.ASYNC, n);
            double[] h = PerfTables.readSpread(reads, "hikari-sqlite-jdbc", n);
            if (a != null && h != null) {
                out.add(verdict(a[1] >= h[1], String.format(Locale.ROOT, "concurrent reads, %d reader(s): no slower "
                        + "than HikariCP: %.2fx (%.0f vs %.0f rows/s)", n, a[1] / h[1], a[1], h[1])));
            }
        }
        for (String[] r : roundTrip) {
            if (r[0].equals("sqlite-async")) {
                double p50 = Double.parseDouble(r[1]);
                out.add(verdict(p50 <= 3, String.format(Locale.ROOT, "round trip p50 <= 3 µs: %.2f µs", p50)));
            }
        }
        String[] direct = find(stall, "sqlite-jdbc-direct");
        String[] ours = find(stall, "sqlite-async-blocking");
        if (direct != null && ours != null) {
            double o = Double.parseDouble(ours[1]);
            double d = Double.parseDouble(direct[1]);
            double q = Double.parseDouble(direct[2]) * 1000;
            out.add(verdict(o < 20 && d >= 0.5 * q, String.format(Locale.ROOT, "stall: ours < 20 ms (%.1f ms) while "
                    + "direct sqlite-jdbc stalls about a query's duration (%.0f ms, query %.0f ms)", o, d, q)));
        }
        return out;
    }

    /** One line per prefetch: the median wall of sqlite-async over the median wall of the baseline, same run. */
    private static void ratio(List<String> out, AioResults aio, String label, String style, String sem,
            int[] prefetches, String baseline, String baselineName, double limit) {
        for (int p : prefetches) {
            double[] c = aio.wallSpread(PerfTables.ASYNC, style, sem, p);
            double[] b = aio.wallSpread(baseline, null, sem, p);
            if (c != null && b != null) {
                double r = c[1] / b[1];
                out.add(verdict(r <= limit, String.format(Locale.ROOT, "aio_bench %sprefetch %d wall <= %.2fx %s "
                        + "(%s, %s): %.2fx (%.3f s vs %.3f s)", label, p, limit, baselineName, style, sem, r, c[1],
                        b[1])));
            }
        }
    }

    private static String[] find(List<String[]> rows, String mode) {
        for (String[] r : rows) {
            if (r[0].equals(mode)) {
                return r;
            }
        }
        return null;
    }

    private static String verdict(boolean met, String text) {
        return (met ? "**MET** " : "**NOT MET** ") + text;
    }
}
