package io.sqliteasync.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Command-line options of the benchmark programs: {@code --quick} and {@code --name value} pairs. */
final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final boolean quick;

    private Args(String[] args) {
        boolean q = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quick")) {
                q = true;
            } else if (a.startsWith("--") && i + 1 < args.length) {
                values.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument: " + a);
            }
        }
        this.quick = q;
    }

    static Args parse(String[] args) {
        return new Args(args);
    }

    /** Whether the short smoke mode was asked for. */
    boolean quick() {
        return quick;
    }

    /** The directory for raw results, {@code --out}, default {@code bench/target/results}. */
    Path out() {
        return Path.of(values.getOrDefault("out", "bench/target/results"));
    }

    long number(String name, long full, long quickValue) {
        String v = values.get(name);
        return v != null ? Long.parseLong(v) : quick ? quickValue : full;
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }
}
