package io.sqliteasync.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The raw samples of {@code aio.tsv}, reduced to medians per library, style, semantics and prefetch. */
final class AioResults {
    /**
     * Medians of one combination, in seconds, each column's median taken on its own.
     *
     * @param runs how many measured runs the medians are over
     */
    record Cell(double wall, double cpuTotal, double cpuCaller, double cpuCallerUser, double cpuWorker, int runs) {
    }

    private final List<String[]> rows;

    AioResults(Path file) {
        this.rows = Tsv.read(file);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The caller styles present, in order of first appearance, sqlite-async only. */
    Set<String> asyncStyles() {
        Set<String> styles = new LinkedHashSet<>();
        for (String[] r : rows) {
            if (r[0].equals("sqlite-async")) {
                styles.add(r[1]);
            }
        }
        return styles;
    }

    /** The medians of one combination, or {@code null} when it was not measured. */
    Cell cell(String library, String style, String semantics, int prefetch) {
        List<long[]> m = new ArrayList<>();
        for (String[] r : rows) {
            if (r[0].equals(library) && (style == null || r[1].equals(style)) && r[2].equals(semantics)
                    && Integer.parseInt(r[3]) == prefetch) {
                m.add(new long[] {Long.parseLong(r[5]), Long.parseLong(r[6]), Long.parseLong(r[7]),
                        Long.parseLong(r[8]), Long.parseLong(r[9])});
            }
        }
        if (m.isEmpty()) {
            return null;
        }
        return new Cell(median(m, 0), median(m, 1), median(m, 2), median(m, 3), median(m, 4), m.size());
    }

    /**
     * The wall times of one combination: minimum, median and maximum over its repetitions, in seconds.
     *
     * @return {min, median, max}, or {@code null} when it was not measured
     */
    double[] wallSpread(String library, String style, String semantics, int prefetch) {
        List<Double> w = new ArrayList<>();
        for (String[] r : rows) {
            if (r[0].equals(library) && (style == null || r[1].equals(style)) && r[2].equals(semantics)
                    && Integer.parseInt(r[3]) == prefetch) {
                w.add(Long.parseLong(r[5]) / 1e9);
            }
        }
        if (w.isEmpty()) {
            return null;
        }
        w.sort(null);
        int n = w.size();
        double median = n % 2 == 1 ? w.get(n / 2) : (w.get(n / 2 - 1) + w.get(n / 2)) / 2;
        return new double[] {w.get(0), median, w.get(n - 1)};
    }

    /** The (library, style) pairs present, in order of first appearance. */
    List<String[]> implementations() {
        List<String[]> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String[] r : rows) {
            if (seen.add(r[0] + "\t" + r[1])) {
                out.add(new String[] {r[0], r[1]});
            }
        }
        return out;
    }

    private static double median(List<long[]> m, int column) {
        double[] v = new double[m.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = m.get(i)[column] / 1e9;
        }
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
