package io.sqliteasync.bench;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.Row;
import io.sqliteasync.dqlite.DqliteClusterExtension;
import io.sqliteasync.dqlite.DqliteUnknownOutcomeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A local SQLite file against a three-node dqlite cluster on this machine ({@code dqlite-demo} processes on
 * loopback, started and stopped here with the dqlite module's test launcher), in one run:
 *
 * <ol>
 *   <li>round trip: {@code SELECT 1} one at a time on an {@link AsyncConnection}, p50 and p99;</li>
 *   <li>an aio_bench-like load: N rows inserted in one transaction, then read back through {@code stream} with
 *       prefetch 64 and 65536 (median of the repetitions, after one unrecorded pass);</li>
 *   <li>leader kill: one thread writes rows on a {@link Database} while the leader is killed with {@code kill -9}
 *       (and restarted after the election) K times; the pause is the time from the kill to the acknowledgement of
 *       the first write sent after it; every acknowledged write must be present exactly once at the end.</li>
 * </ol>
 *
 * <p>Usage: {@code DqliteBench [--rows N (20000)] [--reps R (3)] [--trips T (5000)] [--kills K (5)]}. Needs
 * {@code dqlite-demo} on the PATH (Debian/Ubuntu package go-dqlite) or {@code -Ddqlite.demo=/path}. Prints load
 * average before and after: the cluster's three nodes and the client share this machine's cores, so the figures
 * are ratios within this run, not network latencies.
 */
public final class DqliteBench {
    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS bench (id INTEGER PRIMARY KEY, a INTEGER, b TEXT)";
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private DqliteBench() {
    }

    /** One acknowledged write: its key, when it was sent and when its future completed. */
    private record Ack(long key, long sent, long acked) {
    }

    /**
     * Runs the three measurements and prints them.
     *
     * @param args see the class comment
     * @throws Exception on failure (a lost acknowledged write is one)
     */
    public static void main(String[] args) throws Exception {
        int rows = intArg(args, "--rows", 20_000);
        int reps = intArg(args, "--reps", 3);
        int trips = intArg(args, "--trips", 5_000);
        int kills = intArg(args, "--kills", 5);
        System.out.printf("cores=%d, cpu=%s, java=%s%nload average before: %s%n",
                Runtime.getRuntime().availableProcessors(), Machine.cpuModel(), Runtime.version(), loadAverage());

        Path dir = Files.createTempDirectory("dqlite-bench");
        DqliteClusterExtension cluster = new DqliteClusterExtension();
        cluster.beforeAll(null);
        try {
            String nodes = String.join(",", cluster.addresses());
            String local = dir.resolve("bench.db").toString();
            String remote = "dqlite://" + nodes + "/bench?failoverTimeout=60s";

            System.out.printf("%n## Round trip (SELECT 1, %d sequential calls after %d warm-up)%n", trips,
                    trips / 2);
            double[] localTrip = roundTrip(local, trips);
            double[] remoteTrip = roundTrip(remote, trips);
            System.out.printf("| target | p50 us | p99 us |%n|---|---:|---:|%n");
            System.out.printf(Locale.ROOT, "| local file | %.1f | %.1f |%n", localTrip[0], localTrip[1]);
            System.out.printf(Locale.ROOT, "| dqlite cluster | %.1f | %.1f |%n", remoteTrip[0], remoteTrip[1]);
            System.out.printf(Locale.ROOT, "cluster / local: p50 %.1fx, p99 %.1fx%n", remoteTrip[0] / localTrip[0],
                    remoteTrip[1] / localTrip[1]);

            System.out.printf("%n## Insert %d rows in one transaction, read them back (median of %d)%n", rows, reps);
            // One unrecorded pass each first, so that neither target pays for the JIT's warm-up.
            load(local, rows, 1);
            load(remote, rows, 1);
            double[] localLoad = load(local, rows, reps);
            double[] remoteLoad = load(remote, rows, reps);
            System.out.printf("| target | insert ms | read ms, prefetch 64 | read ms, prefetch 65536 |%n"
                    + "|---|---:|---:|---:|%n");
            System.out.printf(Locale.ROOT, "| local file | %.1f | %.1f | %.1f |%n", localLoad[0], localLoad[1],
                    localLoad[2]);
            System.out.printf(Locale.ROOT, "| dqlite cluster | %.1f | %.1f | %.1f |%n", remoteLoad[0], remoteLoad[1],
                    remoteLoad[2]);
            System.out.printf(Locale.ROOT, "cluster / local: insert %.1fx, read (64) %.1fx, read (65536) %.1fx%n",
                    remoteLoad[0] / localLoad[0], remoteLoad[1] / localLoad[1], remoteLoad[2] / localLoad[2]);

            System.out.printf("%n## Leader kill -9 during a stream of writes (%d kills)%n", kills);
            leaderKills(cluster, "dqlite://" + nodes + "/kills?failoverTimeout=60s", kills);
        } finally {
            cluster.afterAll(null);
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        System.out.printf("%nload average after: %s%n", loadAverage());
    }

    /** p50 and p99 of {@code SELECT 1} in microseconds. */
    private static double[] roundTrip(String location, int trips) {
        try (AsyncConnection c = AsyncConnection.open(location).join()) {
            for (int i = 0; i < trips / 2; i++) {
                c.fetchOne("SELECT 1").join();
            }
            long[] nanos = new long[trips];
            for (int i = 0; i < trips; i++) {
                long t0 = System.nanoTime();
                c.fetchOne("SELECT 1").join();
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            return new double[] {nanos[trips / 2] / 1e3, nanos[(int) (trips * 0.99)] / 1e3};
        }
    }

    /** Median insert time, read time with prefetch 64 and with 65536, in milliseconds. */
    private static double[] load(String location, int rows, int reps) {
        List<Object[]> sets = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            sets.add(new Object[] {i, "row-" + i});
        }
        double[][] samples = new double[3][reps];
        for (int rep = 0; rep < reps; rep++) {
            try (AsyncConnection c = AsyncConnection.open(location).join()) {
                c.executeScript("DROP TABLE IF EXISTS bench; " + SCHEMA).join();
                long t0 = System.nanoTime();
                c.executeScript("BEGIN").join();
                c.executeMany("INSERT INTO bench(a, b) VALUES (?, ?)", sets).join();
                c.commit().join();
                samples[0][rep] = (System.nanoTime() - t0) / 1e6;
            }
            int column = 1;
            for (int prefetch : new int[] {64, 65_536}) {
                try (AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(location).prefetch(prefetch)
                        .build()).join()) {
                    long t0 = System.nanoTime();
                    long n = count(c.stream("SELECT id, a, b FROM bench")).join();
                    samples[column][rep] = (System.nanoTime() - t0) / 1e6;
                    if (n != rows) {
                        throw new IllegalStateException("read " + n + " rows of " + rows + " from " + location);
                    }
                }
                column++;
            }
        }
        double[] medians = new double[3];
        for (int i = 0; i < 3; i++) {
            Arrays.sort(samples[i]);
            medians[i] = samples[i][reps / 2];
        }
        return medians;
    }

    /** Counts a stream's rows, asking for everything at once (the connection's prefetch sets the batches). */
    private static CompletableFuture<Long> count(Flow.Publisher<Row> rows) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        rows.subscribe(new Flow.Subscriber<>() {
            private long n;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Row row) {
                n++;
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(n);
            }
        });
        return done;
    }

    private static void leaderKills(DqliteClusterExtension cluster, String url, int kills) throws Exception {
        try (Database db = Database.open(DatabaseOptions.builder(url).readers(1).build()).get(60, TimeUnit.SECONDS)) {
            db.blocking().executeScript("CREATE TABLE IF NOT EXISTS w (id INTEGER PRIMARY KEY, k INTEGER NOT NULL)");
            List<Ack> acks = new CopyOnWriteArrayList<>();
            Set<Long> unknown = ConcurrentHashMap.newKeySet();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (long k = 1; !stop.get(); k++) {
                    long sent = System.nanoTime();
                    try {
                        // No unique key on k: a write applied twice would show as a duplicate.
                        db.execute("INSERT INTO w(k) VALUES (?)", k).get(180, TimeUnit.SECONDS);
                        acks.add(new Ack(k, sent, System.nanoTime()));
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof DqliteUnknownOutcomeException) {
                            unknown.add(k);
                        } else {
                            failures.add(e.getCause());
                        }
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }
            }, "dqlite-bench-writer");
            writer.start();
            List<Long> pauses = new ArrayList<>();
            try {
                for (int kill = 1; kill <= kills; kill++) {
                    int before = acks.size();
                    await(() -> acks.size() >= before + 200 || !failures.isEmpty(), "writes before kill " + kill);
                    int leader = cluster.indexOf(cluster.awaitLeader());
                    long killedAt = System.nanoTime();
                    cluster.kill(leader);
                    await(() -> firstSentAfter(acks, killedAt) != null || !failures.isEmpty(),
                            "a write acknowledged after kill " + kill);
                    Ack first = firstSentAfter(acks, killedAt);
                    if (first != null) {
                        pauses.add(TimeUnit.NANOSECONDS.toMillis(first.acked() - killedAt));
                    }
                    System.out.printf("kill %d: node %d (leader) killed; pause %s ms%n", kill, leader + 1,
                            first == null ? "-" : TimeUnit.NANOSECONDS.toMillis(first.acked() - killedAt));
                    cluster.restart(leader);
                }
            } finally {
                stop.set(true);
                writer.join(TimeUnit.MINUTES.toMillis(4));
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("writes failed during the kills: " + failures);
            }
            Map<Long, Long> rowsPerKey = new HashMap<>();
            for (Row r : db.fetchAll("SELECT k, count(*) FROM w GROUP BY k").get(120, TimeUnit.SECONDS)) {
                rowsPerKey.put(r.getLong(0), r.getLong(1));
            }
            long lost = acks.stream().filter(a -> rowsPerKey.getOrDefault(a.key(), 0L) != 1L).count();
            long unknownCommitted = unknown.stream().filter(k -> rowsPerKey.getOrDefault(k, 0L) == 1L).count();
            long duplicated = rowsPerKey.values().stream().filter(n -> n > 1).count();
            List<Long> sorted = new ArrayList<>(pauses);
            Collections.sort(sorted);
            System.out.printf("| kills | pause min ms | median ms | max ms | acknowledged writes | lost |"
                    + " duplicated | unknown outcome (committed / not) |%n|---:|---:|---:|---:|---:|---:|---:|---|%n");
            System.out.printf("| %d | %d | %d | %d | %d | %d | %d | %d (%d / %d) |%n", kills, sorted.get(0),
                    sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), acks.size(), lost, duplicated,
                    unknown.size(), unknownCommitted, unknown.size() - unknownCommitted);
            System.out.println("pauses (ms, in kill order): " + pauses);
            if (lost != 0 || duplicated != 0) {
                throw new IllegalStateException(lost + " acknowledged writes lost, " + duplicated + " duplicated");
            }
        }
    }

    private static Ack firstSentAfter(List<Ack> acks, long instant) {
        for (Ack a : acks) {
            if (a.sent() - instant > 0) {
                return a;
            }
        }
        return null;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("gave up after 120 s waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
