package io.sqliteasync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Background load for the "under load" runs: platform threads that burn CPU in a tight loop until closed, so the
 * benchmark's own threads compete for the cores the way they do on a busy machine. Also reads the load average.
 */
final class CpuHogs implements AutoCloseable {
    private volatile boolean running = true;
    private final List<Thread> threads = new ArrayList<>();
    /** Keeps the loop's result alive so the JIT cannot drop the work. */
    private volatile long sink;

    /**
     * Starts the hogs.
     *
     * @param count how many busy threads
     */
    CpuHogs(int count) {
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(this::burn, "cpu-hog-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void burn() {
        long x = System.identityHashCode(Thread.currentThread()) | 1L;
        while (running) {
            for (int i = 0; i < 100_000; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
        }
        sink = x;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join();
        }
    }

    /** The 1, 5 and 15 minute load averages from {@code /proc/loadavg}, or "n/a" where there is none. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }
}
