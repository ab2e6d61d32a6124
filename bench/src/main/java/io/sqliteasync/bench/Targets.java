package io.sqliteasync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Checks the figures against the project's performance targets; one line per target, met or not. */
final class Targets {
    private static final String[] SEMANTICS = {"autocommit", "atomic"};

    private Targets() {
    }

    static List<String> evaluate(AioResults aio, String style, List<String[]> roundTrip, List<String[]> stall,
            long target) {
        List<String> out = new ArrayList<>();
        double scale = (double) Workload.FULL_TARGET / target;
        for (String sem : SEMANTICS) {
            AioResults.Cell p1 = aio.cell("sqlite-async", style, sem, 1);
            if (p1 != null) {
                double w = p1.wall() * scale;
                out.add(verdict(w <= 1.5, String.format(Locale.ROOT, "aio_bench prefetch 1 wall <= 1.5 s (%s, %s): "
                        + "%.3f s%s", style, sem, w, scale != 1 ? " (extrapolated linearly from " + target + " rows)"
                        : "")));
            }
            ratioTarget(out, aio, style, sem, new int[] {64}, 1.15);
            ratioTarget(out, aio, style, sem, new int[] {512, 8192, 65536}, 1.05);
        }
        for (String[] r : roundTrip) {
            if (r[0].equals("sqlite-async")) {
                double p50 = Double.parseDouble(r[1]);
                out.add(verdict(p50 <= 5, String.format(Locale.ROOT, "round trip p50 <= 5 µs: %.2f µs", p50)));
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

    private static void ratioTarget(List<String> out, AioResults aio, String style, String sem, int[] prefetches,
            double limit) {
        for (int p : prefetches) {
            AioResults.Cell c = aio.cell("sqlite-async", style, sem, p);
            AioResults.Cell s = aio.cell("sqlite-jdbc-sync", null, sem, p);
            if (c != null && s != null) {
                double r = c.wall() / s.wall();
                out.add(verdict(r <= limit, String.format(Locale.ROOT, "aio_bench prefetch %d wall <= %.2fx sync "
                        + "(%s, %s): %.2fx (%.3f s vs %.3f s)", p, limit, style, sem, r, c.wall(), s.wall())));
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
