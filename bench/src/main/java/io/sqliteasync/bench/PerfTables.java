package io.sqliteasync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report sections of the performance issue: aio_bench against the floor (sqlite-jdbc's core API, no JDBC, no
 * hand-off) with the spread over repetitions, the same under CPU-hog load, and concurrent reads against HikariCP.
 */
final class PerfTables {
    static final String ASYNC = "sqlite-async";
    static final String SYNC = "sqlite-jdbc-sync";
    static final String FLOOR = "sqlite-jdbc-core";
    static final String FLOOR_NOMUTEX = "sqlite-jdbc-core-nomutex";
    private static final String[] SEMANTICS = {"autocommit", "atomic"};

    private PerfTables() {
    }

    static List<String> render(AioResults aio, AioResults load, List<String[]> reads, Map<String, String> readsEnv,
            List<String[]> loadavg, String style) {
        List<String> md = new ArrayList<>();
        md.add("## Load average during this run");
        md.add("");
        md.add("From `/proc/loadavg` (1, 5, 15 minutes), on a 2-vCPU machine shared with other builds.");
        md.add("");
        for (String[] r : loadavg) {
            md.add("- " + r[0] + ": " + r[1]);
        }
        if (readsEnv.containsKey("loadavg_end")) {
            md.add("- concurrent_reads_end: " + readsEnv.get("loadavg_end"));
        }
        md.add("");
        md.add("## aio_bench against JDBC sync and the floor, min / median / max");
        md.add("");
        md.add("Wall seconds over the repetitions, min / median / max; implementations interleaved within each "
                + "repetition. `floor` is the same loop synchronously on sqlite-jdbc's low-level core API "
                + "(`org.sqlite.core.DB`: prepare, bind, step, column reads, reset; no JDBC, no hand-off; "
                + "`FloorDriver`), with sqlite-jdbc's default connection (serialized mode: SQLite takes the "
                + "connection's mutex around every call). `floor NOMUTEX` is the same loop on a connection opened "
                + "with `SQLITE_OPEN_NOMUTEX`, as sqlite-async opens its own (each connection is confined to its "
                + "worker thread); it shows how much of the difference to the floor is that setting. The targets "
                + "are against `floor`. Ratios are of medians.");
        md.add("");
        for (String sem : SEMANTICS) {
            md.add("### " + sem + ", sqlite-async " + style);
            md.add("");
            md.add("| prefetch | sqlite-async | JDBC sync | floor | floor NOMUTEX | async / sync | async / floor"
                    + " | async / floor NOMUTEX | sync / floor |");
            md.add("|---|---|---|---|---|---|---|---|---|");
            for (int p : Workload.PREFETCHES) {
                double[] a = aio.wallSpread(ASYNC, style, sem, p);
                double[] s = aio.wallSpread(SYNC, null, sem, p);
                double[] f = aio.wallSpread(FLOOR, null, sem, p);
                double[] n = aio.wallSpread(FLOOR_NOMUTEX, null, sem, p);
                if (a == null || s == null || f == null) {
                    continue;
                }
                md.add("| " + p + " | " + spread(a) + " | " + spread(s) + " | " + spread(f) + " | "
                        + (n == null ? "" : spread(n)) + " | " + ratio(a[1], s[1]) + " | " + ratio(a[1], f[1])
                        + " | " + (n == null ? "" : ratio(a[1], n[1])) + " | " + ratio(s[1], f[1]) + " |");
            }
            md.add("");
        }
        if (!load.isEmpty()) {
            md.add("## aio_bench under load (two CPU-hog threads)");
            md.add("");
            md.add("Autocommit, a third of the row target (" + (Workload.FULL_TARGET / AioBench.LOAD_TARGET_DIVISOR)
                    + " in a full run, so walls are not comparable with the tables above; ratios are), "
                    + AioBench.HOGS + " platform threads spinning in a tight loop for the whole section,"
                    + " so on 2 vCPUs every implementation shares the cores with them. Wall seconds min / median / "
                    + "max; ratios of medians to JDBC sync and to the floor under the same load.");
            md.add("");
            md.add("| prefetch | implementation | wall | / JDBC sync | / floor |");
            md.add("|---|---|---|---|---|");
            for (int p : AioBench.LOAD_PREFETCHES) {
                double[] s = load.wallSpread(SYNC, null, "autocommit", p);
                double[] f = load.wallSpread(FLOOR, null, "autocommit", p);
                for (String[] impl : load.implementations()) {
                    double[] w = load.wallSpread(impl[0], impl[1], "autocommit", p);
                    if (w == null || s == null || f == null) {
                        continue;
                    }
                    md.add("| " + p + " | " + impl[0] + " " + impl[1] + " | " + spread(w) + " | " + ratio(w[1], s[1])
                            + " | " + ratio(w[1], f[1]) + " |");
                }
            }
            md.add("");
        }
        if (!reads.isEmpty()) {
            md.add("## Concurrent reads: Database against HikariCP + sqlite-jdbc");
            md.add("");
            md.add("`io.sqliteasync.bench.ConcurrentReads`: a " + readsEnv.get("file_mib") + " MiB file ("
                    + readsEnv.get("rows") + " rows of about 230 bytes), every connection on both sides with "
                    + "`PRAGMA cache_size=-" + readsEnv.get("cache_kib") + "` (" + readsEnv.get("cache_kib")
                    + " KiB), so the file is far bigger than SQLite's page cache and each query over a random range "
                    + "of 100 rows reads most of its pages from the OS (the file stays in the OS cache: this measures "
                    + "SQLite's page-cache misses, not disk). N platform caller threads loop on the query: "
                    + "`Database.fetchAll(...).join()` with N readers, or a HikariCP pool of N sqlite-jdbc "
                    + "connections read with `getObject`. Rows per second, min / median / max over "
                    + readsEnv.get("reps") + " repetitions of " + readsEnv.get("seconds") + " s each (after a short"
                    + " warm-up), both implementations and all reader counts interleaved in every repetition.");
            md.add("");
            md.add("| readers | sqlite-async rows/s | HikariCP rows/s | async / Hikari | async vs 1 reader |");
            md.add("|---|---|---|---|---|");
            double[] one = readSpread(reads, ASYNC, 1);
            for (int n : ConcurrentReads.READERS) {
                double[] a = readSpread(reads, ASYNC, n);
                double[] h = readSpread(reads, "hikari-sqlite-jdbc", n);
                if (a == null || h == null) {
                    continue;
                }
                md.add("| " + n + " | " + counts(a) + " | " + counts(h) + " | " + ratio(a[1], h[1]) + " | "
                        + (one == null ? "" : ratio(a[1], one[1])) + " |");
            }
            md.add("");
        }
        return md;
    }

    /** Rows per second of one implementation and reader count: {min, median, max}, or {@code null}. */
    static double[] readSpread(List<String[]> reads, String impl, int readers) {
        List<Double> v = new ArrayList<>();
        for (String[] r : reads) {
            if (r[0].equals(impl) && Integer.parseInt(r[1]) == readers) {
                v.add(Double.parseDouble(r[3]));
            }
        }
        if (v.isEmpty()) {
            return null;
        }
        v.sort(null);
        int n = v.size();
        return new double[] {v.get(0), n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2,
            v.get(n - 1)};
    }

    private static String spread(double[] v) {
        return String.format(Locale.ROOT, "%.3f / **%.3f** / %.3f", v[0], v[1], v[2]);
    }

    private static String counts(double[] v) {
        return String.format(Locale.ROOT, "%,.0f / **%,.0f** / %,.0f", v[0], v[1], v[2]);
    }

    private static String ratio(double a, double b) {
        return String.format(Locale.ROOT, "%.2fx", a / b);
    }
}
