package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DumpTestSupport.script;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many dumps at once on a database whose writer keeps moving value between two tables: every dump that completes
 * keeps the invariant (one snapshot each), dumps cancelled part-way give their readers back, and nothing is left
 * leased afterwards.
 */
@Timeout(120)
class DumpConcurrencyIT {
    private static final int ROWS = 50;
    private static final int DUMPS = 24;

    @TempDir
    Path dir;

    @Test
    void concurrentDumpsWhileTheWriterWritesAreEachOneSnapshot() throws Exception {
        try (Database db = await(Database.open(DatabaseOptions.builder(dir.resolve("db.db").toString()).readers(2)
                .prefetch(5).build()))) {
            db.blocking().executeScript("CREATE TABLE a (id INTEGER PRIMARY KEY, x INTEGER);"
                    + " CREATE TABLE b (id INTEGER PRIMARY KEY, x INTEGER);"
                    + " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS + ")"
                    + " INSERT INTO a SELECT i, 10 FROM n;"
                    + " INSERT INTO b SELECT id, 10 FROM a;");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong transfers = new AtomicLong();
            Thread writer = new Thread(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (!stop.get()) {
                    int from = 1 + r.nextInt(ROWS);
                    int to = 1 + r.nextInt(ROWS);
                    int amount = 1 + r.nextInt(3);
                    db.transaction(tx -> tx.execute("UPDATE a SET x = x - ? WHERE id = ?", amount, from)
                            .thenCompose(v -> tx.execute("UPDATE b SET x = x + ? WHERE id = ?", amount, to))).join();
                    transfers.incrementAndGet();
                }
            }, "dump-concurrency-writer");
            writer.start();
            List<CompletableFuture<List<String>>> dumps = new ArrayList<>();
            for (int i = 0; i < DUMPS; i++) {
                // Every third dump is cancelled after a few statements.
                dumps.add(run(db.dump(), i % 3 == 2 ? 5 : Long.MAX_VALUE));
            }
            List<List<String>> completed = new ArrayList<>();
            for (CompletableFuture<List<String>> d : dumps) {
                List<String> statements = d.get(60, TimeUnit.SECONDS);
                if (statements.get(statements.size() - 1).equals("COMMIT;")) {
                    completed.add(statements);
                }
            }
            stop.set(true);
            writer.join(60_000);
            assertThat(completed).hasSize(DUMPS - DUMPS / 3);
            assertThat(transfers.get()).isPositive();
            for (List<String> statements : completed) {
                try (AsyncConnection copy = await(AsyncConnection.open(":memory:"))) {
                    await(copy.executeScript(script(statements)));
                    assertThat(await(copy.fetchOne("SELECT (SELECT sum(x) FROM a) + (SELECT sum(x) FROM b),"
                            + " (SELECT count(*) FROM a), (SELECT count(*) FROM b)")).toMap().values())
                            .containsExactly(2L * ROWS * 10, (long) ROWS, (long) ROWS);
                }
            }
            // Both readers are free: two reads that each hold one for a while can run at once.
            await(db.read(s1 -> db.read(s2 -> s2.fetchOne("SELECT count(*) FROM a"))
                    .thenCompose(r -> s1.fetchOne("SELECT count(*) FROM b"))));
            assertThat(db.stats().readersBusy()).isZero();
        }
    }

    /** Subscribes, requesting in small steps; cancels after {@code limit} statements. */
    private static CompletableFuture<List<String>> run(Flow.Publisher<String> dump, long limit) {
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        dump.subscribe(new Flow.Subscriber<String>() {
            private final List<String> got = new ArrayList<>();
            private Flow.Subscription s;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                this.s = s;
                s.request(2);
            }

            @Override
            public void onNext(String item) {
                got.add(item);
                if (got.size() == limit) {
                    s.cancel();
                    done.complete(got);
                } else if (got.size() % 2 == 0) {
                    s.request(2);
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(got);
            }
        });
        return done;
    }
}
