package io.sqliteasync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The aio_bench tables of the report. */
final class AioTables {
    private static final String[] SEMANTICS = {"autocommit", "atomic"};

    private AioTables() {
    }

    static List<String> render(AioResults aio, PeerResults peers, String style) {
        List<String> md = new ArrayList<>();
        md.add("## aio_bench (port of APSW `tools/aio_bench.py`)");
        md.add("");
        md.add("Seconds, medians. `ratio` is wall time divided by plain synchronous sqlite-jdbc's wall time for the "
                + "same semantics and prefetch in the same run. `caller` is the driving thread's CPU (user+sys), "
                + "`worker` the connection worker thread's own CPU (user+sys, \"worker direct\" in the peer table), "
                + "`total − caller` the original's computed `CpuDbWorker`. CSV and chart use caller style `" + style
                + "`.");
        md.add("");
        for (String sem : SEMANTICS) {
            md.add("### sqlite-async, " + style + ", " + sem);
            md.add("");
            md.add("| prefetch | wall | cpu total | cpu caller | cpu caller (user) | cpu worker | total − caller "
                    + "| sync wall | ratio |");
            md.add("|---|---|---|---|---|---|---|---|---|");
            for (int p : Workload.PREFETCHES) {
                AioResults.Cell c = aio.cell("sqlite-async", style, sem, p);
                AioResults.Cell s = aio.cell("sqlite-jdbc-sync", null, sem, p);
                if (c == null || s == null) {
                    continue;
                }
                md.add(row(p, f(c.wall()), f(c.cpuTotal()), f(c.cpuCaller()), f(c.cpuCallerUser()),
                        f(c.cpuWorker()), f(c.cpuTotal() - c.cpuCaller()), f(s.wall()), ratio(c.wall(), s.wall())));
            }
            md.add("");
        }
        md.add("### Every caller style: wall seconds (ratio to sync)");
        md.add("");
        StringBuilder head = new StringBuilder("| semantics | prefetch |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (String st : aio.asyncStyles()) {
            head.append(' ').append(st).append(" |");
            rule.append("---|");
        }
        md.add(head.append(" sqlite-jdbc-sync |").toString());
        md.add(rule.append("---|").toString());
        for (String sem : SEMANTICS) {
            for (int p : Workload.PREFETCHES) {
                AioResults.Cell s = aio.cell("sqlite-jdbc-sync", null, sem, p);
                if (s == null) {
                    continue;
                }
                StringBuilder b = new StringBuilder("| " + sem + " | " + p + " |");
                for (String st : aio.asyncStyles()) {
                    AioResults.Cell c = aio.cell("sqlite-async", st, sem, p);
                    b.append(' ').append(c == null ? "-" : f(c.wall()) + " (" + ratio(c.wall(), s.wall()) + ")")
                            .append(" |");
                }
                md.add(b.append(' ').append(f(s.wall())).append(" |").toString());
            }
        }
        md.add("");
        md.add("### Beside the peers (wall seconds; peers measured separately, see the end of this page)");
        md.add("");
        md.add("| prefetch | sqlite-async autocommit | sqlite-async atomic | sqlite-jdbc sync autocommit "
                + "| sqlite-jdbc sync atomic | apsw AsyncIO | aiosqlite | Python sqlite3 sync |");
        md.add("|---|---|---|---|---|---|---|---|");
        for (int p : Workload.PREFETCHES) {
            md.add(row(p, wall(aio, "sqlite-async", style, "autocommit", p), wall(aio, "sqlite-async", style, "atomic", p),
                    wall(aio, "sqlite-jdbc-sync", null, "autocommit", p), wall(aio, "sqlite-jdbc-sync", null, "atomic", p),
                    peer(peers, "apsw AsyncIO", p), peer(peers, "aiosqlite", p), peer(peers, "sqlite3 sync", p)));
        }
        md.add("");
        md.add("![aio_bench wall time](benchmarks/aio_bench.png)");
        md.add("");
        return md;
    }

    private static String wall(AioResults aio, String library, String style, String sem, int p) {
        AioResults.Cell c = aio.cell(library, style, sem, p);
        return c == null ? "-" : f(c.wall());
    }

    private static String peer(PeerResults peers, String library, int p) {
        double w = peers.wall(library, p);
        return Double.isNaN(w) ? "-" : f(w);
    }

    private static String row(int prefetch, String... cells) {
        return "| " + prefetch + " | " + String.join(" | ", cells) + " |";
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String ratio(double a, double b) {
        return String.format(Locale.ROOT, "%.2fx", a / b);
    }
}
