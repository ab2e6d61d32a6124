package io.sqliteasync.examples;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.BlockingConnection;
import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.Row;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * The README's demo: creates a database file, runs 100 concurrent tasks that insert and read through one
 * {@link AsyncConnection}, streams the result, and prints what it did with timings. Tasks run on virtual threads
 * (using the blocking view) on JDK 21 and newer, and as future chains otherwise.
 */
public final class ConcurrentDemo {
    private static final int TASKS = 100;
    private static final int INSERTS_PER_TASK = 50;

    private ConcurrentDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args optional: the database file to create (default: a new file in a temporary directory)
     * @throws Exception if the demo fails
     */
    public static void main(String[] args) throws Exception {
        Path file = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("sqlite-async-demo").resolve("demo.db");
        Files.deleteIfExists(file);
        System.out.printf("sqlite-async demo on Java %s, database %s%n", Runtime.version(), file);

        long t0 = System.nanoTime();
        ConnectionOptions options = ConnectionOptions.builder(file.toString())
                .pragma("journal_mode", "WAL")
                .pragma("synchronous", "NORMAL")
                .build();
        try (AsyncConnection db = AsyncConnection.open(options).join()) {
            System.out.printf("opened in %.1f ms, SQLite %s, worker thread owns the connection%n",
                    ms(t0), db.sqliteVersion().join());

            db.executeScript("""
                    CREATE TABLE events (
                      id INTEGER PRIMARY KEY,
                      task INTEGER NOT NULL,
                      seq INTEGER NOT NULL,
                      name TEXT NOT NULL
                    );
                    CREATE INDEX events_task ON events(task);
                    """).join();

            long t1 = System.nanoTime();
            ExecutorService virtualThreads = newVirtualThreadExecutor();
            String style;
            if (virtualThreads != null) {
                style = "virtual threads using the blocking view";
                try {
                    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < TASKS; t++) {
                        int task = t;
                        done.add(virtualThreads.submit(() -> runBlockingTask(db.blocking(), task)));
                    }
                    for (java.util.concurrent.Future<?> f : done) {
                        f.get();
                    }
                } finally {
                    virtualThreads.shutdown();
                }
            } else {
                style = "CompletableFuture chains (JDK " + Runtime.version().feature() + " has no virtual threads)";
                List<CompletableFuture<Void>> done = new ArrayList<>();
                for (int t = 0; t < TASKS; t++) {
                    done.add(runAsyncTask(db, t));
                }
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
            }
            double writeMs = ms(t1);
            System.out.printf("%d concurrent tasks (%s) inserted %d rows and read each back in %.1f ms%n",
                    TASKS, style, TASKS * INSERTS_PER_TASK, writeMs);

            long t2 = System.nanoTime();
            Row summary = db.fetchOne(
                    "SELECT count(*) AS n, count(DISTINCT task) AS tasks, max(seq) AS max_seq FROM events").join();
            System.out.printf("table holds %d rows from %d tasks, highest seq %d (query %.2f ms)%n",
                    summary.getLong("n"), summary.getLong("tasks"), summary.getLong("max_seq"), ms(t2));

            long t3 = System.nanoTime();
            long[] streamed = new long[1];
            CompletableFuture<Void> streamDone = new CompletableFuture<>();
            db.stream("SELECT id, name FROM events ORDER BY id").subscribe(new Flow.Subscriber<Row>() {
                private Flow.Subscription subscription;

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription = s;
                    s.request(256);
                }

                @Override
                public void onNext(Row row) {
                    if (++streamed[0] % 256 == 0) {
                        subscription.request(256);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    streamDone.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                    streamDone.complete(null);
                }
            });
            streamDone.get(30, TimeUnit.SECONDS);
            System.out.printf("streamed %d rows with back-pressure in %.1f ms%n", streamed[0], ms(t3));
            if (summary.getLong("n") != (long) TASKS * INSERTS_PER_TASK || streamed[0] != summary.getLong("n")) {
                throw new IllegalStateException("row counts do not match");
            }
        }
        System.out.printf("closed; total %.1f ms%n", ms(t0));
    }

    private static Void runBlockingTask(BlockingConnection db, int task) {
        for (int i = 0; i < INSERTS_PER_TASK; i++) {
            db.execute("INSERT INTO events(task, seq, name) VALUES (?, ?, ?)", task, i, "task-" + task + "-" + i);
        }
        long n = db.fetchOne("SELECT count(*) FROM events WHERE task = ?", task).getLong(0);
        if (n != INSERTS_PER_TASK) {
            throw new IllegalStateException("task " + task + " reads " + n + " rows");
        }
        return null;
    }

    private static CompletableFuture<Void> runAsyncTask(AsyncConnection db, int task) {
        CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
        for (int i = 0; i < INSERTS_PER_TASK; i++) {
            int seq = i;
            chain = chain.thenCompose(x -> db.execute("INSERT INTO events(task, seq, name) VALUES (?, ?, ?)",
                    task, seq, "task-" + task + "-" + seq));
        }
        return chain.thenCompose(x -> db.fetchOne("SELECT count(*) FROM events WHERE task = ?", task))
                .thenAccept(row -> {
                    if (row.getLong(0) != INSERTS_PER_TASK) {
                        throw new IllegalStateException("task " + task + " reads " + row.getLong(0) + " rows");
                    }
                });
    }

    /** Virtual threads exist from JDK 21; this module compiles for 17, so it looks them up at run time. */
    private static ExecutorService newVirtualThreadExecutor() {
        try {
            Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
