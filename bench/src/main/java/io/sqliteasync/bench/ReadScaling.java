package io.sqliteasync.bench;

import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Read scaling of {@link Database}: the throughput of a CPU-bound query on 2 readers against 1 reader. The goal on a
 * 2-core machine is at least 1.6x. Each run keeps 8 queries in flight (asynchronously, no caller threads) for a warm-up
 * and a measured period, so the figure is the pool's, not the callers'.
 *
 * <p>Usage: {@code ReadScaling [seconds per run, default 5] [rows, default 100000]}.
 */
public final class ReadScaling {
    private static final int IN_FLIGHT = 8;
    private static final String QUERY = "SELECT sum((a * 7919 + b) % 1013) FROM data WHERE a % 3 <> 1";

    private ReadScaling() {
    }

    /**
     * Runs the benchmark and prints queries per second for 1 and 2 readers and their ratio.
     *
     * @param args optional seconds per run and row count
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Path dir = Files.createTempDirectory("read-scaling");
        Path file = dir.resolve("bench.db");
        try (Database db = Database.open(DatabaseOptions.builder(file.toString()).readers(1).build()).join()) {
            db.executeScript("CREATE TABLE data(a INTEGER, b INTEGER);"
                    + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ")"
                    + " INSERT INTO data SELECT i, i * 31 % 977 FROM n;").join();
        }
        System.out.printf("cores=%d, rows=%d, %d s per run, %d queries in flight%n",
                Runtime.getRuntime().availableProcessors(), rows, seconds, IN_FLIGHT);
        double one = run(file, 1, seconds);
        double two = run(file, 2, seconds);
        System.out.printf("1 reader: %.1f queries/s%n2 readers: %.1f queries/s%nratio: %.2fx%n", one, two, two / one);
        Files.deleteIfExists(dir.resolve("bench.db-wal"));
        Files.deleteIfExists(dir.resolve("bench.db-shm"));
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    private static double run(Path file, int readers, int seconds) throws Exception {
        try (Database db = Database.open(DatabaseOptions.builder(file.toString()).readers(readers).build()).join()) {
            measure(db, Math.max(1, seconds / 2));
            return measure(db, seconds);
        }
    }

    private static double measure(Database db, int seconds) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong done = new AtomicLong();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < IN_FLIGHT; i++) {
            CompletableFuture<Void> loop = new CompletableFuture<>();
            loops.add(loop);
            next(db, running, done, loop);
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        for (CompletableFuture<Void> l : loops) {
            l.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        return done.get() / elapsed;
    }

    /** One asynchronous query loop; each completion starts the next query from the reader's own thread. */
    private static void next(Database db, AtomicBoolean running, AtomicLong done, CompletableFuture<Void> loop) {
        if (!running.get()) {
            loop.complete(null);
            return;
        }
        db.fetchOne(QUERY).whenComplete((r, e) -> {
            if (e != null) {
                loop.completeExceptionally(e);
                return;
            }
            done.incrementAndGet();
            // Hop off the worker so a long chain of queries cannot grow the stack of one thread.
            CompletableFuture.runAsync(() -> next(db, running, done, loop));
        });
    }
}
