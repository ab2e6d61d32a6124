package io.sqliteasync.bench;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.BackupOptions;
import io.sqliteasync.BackupProgress;
import io.sqliteasync.CheckpointMode;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An online backup of a WAL database while writers commit: how long the stepped backup (run from a reader) takes, and
 * what it does to the writers' commit latency, against the same writers without a backup in the same run.
 *
 * <p>It builds a database of about {@code sizeMb} MB, starts {@code writers} platform threads that each commit small
 * transactions through one {@link Database} as fast as they can, measures them for {@code baselineSeconds} without a
 * backup, then during a {@link Database#backup} in steps of {@code pagesPerStep} pages, then for
 * {@code baselineSeconds} again without; then it checks the copy with {@code PRAGMA integrity_check}.
 *
 * <p>Usage: {@code BackupUnderLoad [sizeMb 200] [writers 8] [pagesPerStep 1024] [baselineSeconds 8]}.
 */
public final class BackupUnderLoad {
    private BackupUnderLoad() {
    }

    /**
     * Runs the benchmark and prints its figures.
     *
     * @param args optional size in MB, writer count, pages per step and baseline seconds
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int sizeMb = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int writers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int pagesPerStep = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        int baselineSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        Path dir = Files.createTempDirectory("backup-under-load");
        Path file = dir.resolve("bench.db");
        Path copy = dir.resolve("copy.db");
        String loadBefore = loadAverage();
        try (Database db = Database.open(DatabaseOptions.builder(file.toString()).build()).join()) {
            build(db, sizeMb);
            Phases phases = new Phases(writers);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                Thread t = new Thread(() -> phases.write(db, id), "writer-" + w);
                threads.add(t);
                t.start();
            }
            phases.measure(0);
            Thread.sleep(baselineSeconds * 1000L);

            AtomicInteger steps = new AtomicInteger();
            AtomicLong commitsAtFirst = new AtomicLong(-1);
            AtomicLong commitsAtLast = new AtomicLong();
            BackupOptions options = BackupOptions.builder().pagesPerStep(pagesPerStep).listener(p -> {
                steps.incrementAndGet();
                commitsAtFirst.compareAndSet(-1, phases.commits.get());
                commitsAtLast.set(phases.commits.get());
            }).build();
            phases.measure(1);
            long start = System.nanoTime();
            BackupProgress last = db.backup(copy, options).join();
            long backupNanos = System.nanoTime() - start;
            phases.measure(2);
            Thread.sleep(baselineSeconds * 1000L);
            phases.stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            String loadAfter = loadAverage();

            String integrity;
            long copyRows;
            try (AsyncConnection c = AsyncConnection.open(copy.toString()).join()) {
                integrity = c.fetchOne("PRAGMA integrity_check").join().getString(0);
                copyRows = c.fetchOne("SELECT count(*) FROM log").join().getLong(0);
            }
            long[] during = phases.latencies(1);
            long[] without = concat(phases.latencies(0), phases.latencies(2));
            double duringSeconds = backupNanos / 1e9;
            double withoutSeconds = 2.0 * baselineSeconds;

            System.out.printf("cores=%d, database %.0f MB (%d pages of %d bytes), WAL, %d writers, %d pages per step%n",
                    Runtime.getRuntime().availableProcessors(), last.pageCount() * 4096.0 / 1e6, last.pageCount(),
                    4096, writers, pagesPerStep);
            System.out.printf("load average before: %s, after: %s%n", loadBefore, loadAfter);
            System.out.printf("backup: %.2f s, %d steps, %d restarts (snapshot pinned after %d), copy integrity_check:"
                    + " %s, copy holds %d of the log rows%n", duringSeconds, steps.get(), last.restarts(),
                    options.maxRestarts(), integrity, copyRows);
            System.out.printf("writer commits between the first and the last progress event: %d%n",
                    commitsAtLast.get() - commitsAtFirst.get());
            System.out.printf("%-28s %10s %12s %12s %12s%n", "commit latency", "commits/s", "p50 ms", "p99 ms", "max ms");
            row("without backup (before+after)", without, withoutSeconds);
            row("during backup", during, duringSeconds);
            System.out.printf("ratio during/without: p99 %.2fx, max %.2fx, throughput %.2fx%n",
                    pct(during, 0.99) / pct(without, 0.99), (double) max(during) / max(without),
                    (during.length / duringSeconds) / (without.length / withoutSeconds));
        } finally {
            for (String f : new String[] {"bench.db", "bench.db-wal", "bench.db-shm", "copy.db"}) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void build(Database db, int sizeMb) {
        db.executeScript("CREATE TABLE data(id INTEGER PRIMARY KEY, pad BLOB);"
                + " CREATE TABLE log(id INTEGER PRIMARY KEY, writer INTEGER, at INTEGER)").join();
        int rows = sizeMb * 1000;
        int chunk = 10_000;
        for (int done = 0; done < rows; done += chunk) {
            db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
                    + " INSERT INTO data(pad) SELECT randomblob(950) FROM n", Math.min(chunk, rows - done)).join();
        }
        db.checkpoint(CheckpointMode.TRUNCATE).join();
    }

    private static void row(String name, long[] nanos, double seconds) {
        System.out.printf("%-28s %10.0f %12.3f %12.3f %12.3f%n", name, nanos.length / seconds, pct(nanos, 0.5) / 1e6,
                pct(nanos, 0.99) / 1e6, max(nanos) / 1e6);
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
    }

    private static long max(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    private static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        Arrays.sort(c);
        return c;
    }

    /** {@code /proc/loadavg}'s first three figures, or {@code unknown}. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** The writers' commit latencies, per phase (0 before, 1 during the backup, 2 after). */
    private static final class Phases {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong commits = new AtomicLong();
        private volatile int phase = -1;
        private final List<List<long[]>> perWriter = new ArrayList<>();

        Phases(int writers) {
            for (int p = 0; p < 3; p++) {
                List<long[]> l = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    l.add(new long[1 << 17]);
                }
                perWriter.add(l);
            }
            counts = new int[3][writers];
        }

        private final int[][] counts;

        void measure(int p) {
            phase = p;
        }

        void write(Database db, int writer) {
            long i = 0;
            while (!stop.get()) {
                long t0 = System.nanoTime();
                db.execute("INSERT INTO log(writer, at) VALUES (?, ?)", writer, i++).join();
                long t = System.nanoTime() - t0;
                commits.incrementAndGet();
                int p = phase;
                if (p >= 0) {
                    long[] a = perWriter.get(p).get(writer);
                    int n = counts[p][writer];
                    if (n < a.length) {
                        a[n] = t;
                        counts[p][writer] = n + 1;
                    }
                }
            }
        }

        long[] latencies(int p) {
            int total = 0;
            for (int w = 0; w < counts[p].length; w++) {
                total += counts[p][w];
            }
            long[] out = new long[total];
            int k = 0;
            for (int w = 0; w < counts[p].length; w++) {
                System.arraycopy(perWriter.get(p).get(w), 0, out, k, counts[p][w]);
                k += counts[p][w];
            }
            Arrays.sort(out);
            return out;
        }
    }
}
