package io.sqliteasync.reliability;

import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.Row;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A writer process of {@link CrossProcessIT}: opens a {@link Database} on the shared file, says {@code READY}, waits
 * for {@code GO} on stdin, then commits read-modify-write transactions (read the counter, insert the next sequence
 * number, write the counter back) from async callers (several in flight) and blocking threads, checking the
 * counter against the row count in read snapshots meanwhile. Prints {@code DONE ok busy other violations}.
 */
public final class CrossProcessChild {
    private CrossProcessChild() {
    }

    /** Counts of one writer run. */
    record Counts(long ok, long busy, long other, long violations, List<String> samples) {
        String line() {
            return "DONE " + ok + " " + busy + " " + other + " " + violations;
        }
    }

    static DatabaseOptions options(String path) {
        // 30 s instead of the default 5 s: on a shared 2-core machine a process holding the write lock can be
        // descheduled for seconds. What is checked is that busy is waited out, never surfaced.
        return DatabaseOptions.builder(path).readers(2).busyTimeout(Duration.ofSeconds(30)).build();
    }

    static Counts write(Database db, int transactions, String tag) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong busy = new AtomicLong();
        AtomicLong other = new AtomicLong();
        AtomicLong violations = new AtomicLong();
        List<String> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.function.Consumer<Throwable> fail = e -> {
            if (ContentionIT.isBusy(e)) {
                busy.incrementAndGet();
            } else {
                other.incrementAndGet();
            }
            if (samples.size() < 5) {
                samples.add(String.valueOf(e));
            }
        };
        int half = transactions / 2;
        // Blocking half, on two threads.
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int share = half / 2 + (t == 0 ? half % 2 : 0);
            Thread th = new Thread(() -> {
                for (int i = 0; i < share; i++) {
                    try {
                        db.blocking().transaction(tx -> {
                            long n = tx.fetchOne("SELECT n FROM counter").getLong(0);
                            tx.execute("INSERT INTO items(seq, tag) VALUES (?, ?)", n + 1, tag);
                            tx.execute("UPDATE counter SET n = ?", n + 1);
                            return null;
                        });
                        ok.incrementAndGet();
                        Row r = db.blocking().read(s -> s.fetchOne("SELECT (SELECT n FROM counter), count(*) FROM items"));
                        if (r.getLong(0) != r.getLong(1)) {
                            violations.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        fail.accept(e);
                    }
                }
            }, tag + "-blocking-" + t);
            th.start();
            threads.add(th);
        }
        // Async half, up to four in flight.
        Semaphore inFlight = new Semaphore(4);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < transactions - half; i++) {
            inFlight.acquire();
            CompletableFuture<?> f = db.transaction(tx -> tx.fetchOne("SELECT n FROM counter").thenCompose(r -> {
                long n = r.getLong(0);
                return tx.execute("INSERT INTO items(seq, tag) VALUES (?, ?)", n + 1, tag)
                        .thenCompose(x -> tx.execute("UPDATE counter SET n = ?", n + 1));
            })).thenCompose(x -> db.read(s -> s.fetchOne("SELECT (SELECT n FROM counter), count(*) FROM items")))
                    .whenComplete((r, e) -> {
                        inFlight.release();
                        if (e != null) {
                            fail.accept(e);
                        } else {
                            ok.incrementAndGet();
                            if (r.getLong(0) != r.getLong(1)) {
                                violations.incrementAndGet();
                            }
                        }
                    });
            all.add(f);
        }
        for (CompletableFuture<?> f : all) {
            try {
                f.get(Reliability.HANG_SECONDS * 5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // counted in whenComplete, or a hang: counted as other
                if (!f.isDone()) {
                    other.incrementAndGet();
                }
            }
        }
        for (Thread th : threads) {
            th.join();
        }
        return new Counts(ok.get(), busy.get(), other.get(), violations.get(), samples);
    }

    /**
     * Runs the writer.
     *
     * @param args the database path, the number of transactions, the tag of its rows
     */
    public static void main(String[] args) throws Exception {
        String path = args[0];
        int transactions = Integer.parseInt(args[1]);
        String tag = args[2];
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int exit = 0;
        try (Database db = Database.open(options(path)).join()) {
            System.out.println("READY");
            System.out.flush();
            if (!"GO".equals(in.readLine())) {
                System.exit(2);
            }
            Counts c = write(db, transactions, tag);
            System.err.println("samples: " + c.samples());
            System.out.println(c.line());
            System.out.flush();
        } catch (Throwable t) {
            t.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }
}
