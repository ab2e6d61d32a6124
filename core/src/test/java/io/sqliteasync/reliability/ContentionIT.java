package io.sqliteasync.reliability;

import static io.sqliteasync.reliability.Reliability.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.Row;
import io.sqliteasync.SqliteBusyException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contention: async {@code transaction(fn)} writers, blocking transaction writers, plain single-statement writes and
 * readers checking the invariant inside {@code read(fn)} snapshots, all at once on one {@link Database}. Transfers
 * move money between accounts, so the sum of balances is constant in every snapshot, and every transfer also adds one
 * journal row and bumps one counter. No call may fail (in particular no {@link SqliteBusyException} or "locked"),
 * and the totals at the end are exact.
 */
class ContentionIT {
    private static final String CHECK = "ContentionIT";
    private static final int ACCOUNTS = 16;
    private static final long START = 1_000;

    @TempDir
    Path dir;

    @Test
    void concurrentWritersAndSnapshotReadersSeeNoBusyErrorsAndExactTotals() throws Exception {
        long seed = Reliability.seed(CHECK);
        int asyncWriters = 4;
        int blockingWriters = 3;
        int perWriter = Reliability.size(150, 3_000);
        DatabaseOptions options = DatabaseOptions.builder(dir.resolve("contention.db").toString()).readers(3).build();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicLong snapshots = new AtomicLong();
        AtomicLong violations = new AtomicLong();
        try (Database db = await(Database.open(options), "open")) {
            await(db.executeScript("CREATE TABLE accounts(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);"
                    + "CREATE TABLE journal(id INTEGER PRIMARY KEY, writer TEXT NOT NULL, amount INTEGER NOT NULL);"
                    + "CREATE TABLE stats(n INTEGER NOT NULL); INSERT INTO stats VALUES (0);"), "schema");
            for (int i = 0; i < ACCOUNTS; i++) {
                await(db.execute("INSERT INTO accounts VALUES (?, ?)", i, START), "accounts");
            }
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < asyncWriters; w++) {
                Random rnd = new Random(seed * 31 + w);
                CompletableFuture<Void> done = new CompletableFuture<>();
                asyncChain(db, rnd, "async-" + w, perWriter, done, errors);
                writers.add(done);
            }
            for (int w = 0; w < blockingWriters; w++) {
                Random rnd = new Random(seed * 31 + 100 + w);
                String name = "blocking-" + w;
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        int from = rnd.nextInt(ACCOUNTS);
                        int to = rnd.nextInt(ACCOUNTS);
                        long amount = 1 + rnd.nextInt(50);
                        try {
                            if (i % 3 == 0) {
                                // One autocommit statement that moves the money and journals it is not possible, so the
                                // plain-write path is a single UPDATE moving money plus the journal in a script.
                                db.blocking().executeScript("BEGIN IMMEDIATE;"
                                        + "UPDATE accounts SET balance = balance - " + amount + " WHERE id = " + from + ";"
                                        + "UPDATE accounts SET balance = balance + " + amount + " WHERE id = " + to + ";"
                                        + "INSERT INTO journal(writer, amount) VALUES ('" + name + "', " + amount + ");"
                                        + "UPDATE stats SET n = n + 1; COMMIT;");
                            } else {
                                db.blocking().transaction(tx -> {
                                    long bal = tx.fetchOne("SELECT balance FROM accounts WHERE id = ?", from).getLong(0);
                                    tx.execute("UPDATE accounts SET balance = ? WHERE id = ?", bal - amount, from);
                                    tx.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, to);
                                    tx.execute("INSERT INTO journal(writer, amount) VALUES (?, ?)", name, amount);
                                    tx.execute("UPDATE stats SET n = n + 1");
                                    return null;
                                });
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }
                }, newThreadExecutor(name)));
            }
            CompletableFuture<Void> allWriters = CompletableFuture.allOf(writers.toArray(new CompletableFuture<?>[0]));
            AtomicBoolean stop = new AtomicBoolean();
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                boolean blocking = r == 2;
                readers.add(CompletableFuture.runAsync(() -> {
                    while (!stop.get()) {
                        try {
                            Row row = blocking
                                    ? db.blocking().read(s -> s.fetchOne("SELECT (SELECT sum(balance) FROM accounts),"
                                            + " (SELECT count(*) FROM journal), (SELECT n FROM stats)"))
                                    : await(db.read(s -> s.fetchOne("SELECT sum(balance) FROM accounts")
                                            .thenCompose(a -> s.fetchOne("SELECT ?, (SELECT count(*) FROM journal),"
                                                    + " (SELECT n FROM stats)", a.getLong(0)))), "read");
                            snapshots.incrementAndGet();
                            if (row.getLong(0) != ACCOUNTS * START || row.getLong(1) != row.getLong(2)) {
                                violations.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }
                }, newThreadExecutor("reader-" + r)));
            }
            try {
                await(allWriters, Reliability.FULL ? 1_800 : 300, "writers");
            } finally {
                stop.set(true);
            }
            await(CompletableFuture.allOf(readers.toArray(new CompletableFuture<?>[0])), "readers");
            long busy = errors.stream().filter(ContentionIT::isBusy).count();
            List<String> shown = errors.stream().limit(5).map(String::valueOf).toList();
            assertThat(busy).as("seed=%d busy/locked errors %s", seed, shown).isZero();
            assertThat(errors).as("seed=%d errors %s", seed, shown).isEmpty();
            assertThat(violations.get()).as("seed=%d snapshots breaking the invariant", seed).isZero();
            long expected = (long) (asyncWriters + blockingWriters) * perWriter;
            Row end = await(db.fetchOne("SELECT (SELECT sum(balance) FROM accounts), (SELECT count(*) FROM journal),"
                    + " (SELECT n FROM stats)"), "totals");
            assertThat(end.getLong(0)).as("sum of balances").isEqualTo(ACCOUNTS * START);
            assertThat(end.getLong(1)).as("journal rows").isEqualTo(expected);
            assertThat(end.getLong(2)).as("transfer counter").isEqualTo(expected);
            Reliability.report(CHECK, expected + " transfers from " + (asyncWriters + blockingWriters) + " writers, "
                    + snapshots.get() + " snapshots checked, 0 errors, 0 busy, 0 invariant violations");
        }
    }

    private static java.util.concurrent.Executor newThreadExecutor(String name) {
        return r -> {
            Thread t = new Thread(r, "contention-" + name);
            t.setDaemon(true);
            t.start();
        };
    }

    static boolean isBusy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SqliteBusyException) {
                return true;
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("locked") || m.contains("busy")) {
                return true;
            }
        }
        return false;
    }

    private static void asyncChain(Database db, Random rnd, String name, int left, CompletableFuture<Void> done,
            Queue<Throwable> errors) {
        if (left == 0) {
            done.complete(null);
            return;
        }
        int from = rnd.nextInt(ACCOUNTS);
        int to = rnd.nextInt(ACCOUNTS);
        long amount = 1 + rnd.nextInt(50);
        db.transaction(tx -> tx.fetchOne("SELECT balance FROM accounts WHERE id = ?", from)
                .thenCompose(r -> tx.execute("UPDATE accounts SET balance = ? WHERE id = ?", r.getLong(0) - amount, from))
                .thenCompose(r -> tx.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, to))
                .thenCompose(r -> tx.transaction(inner -> inner.execute(
                        "INSERT INTO journal(writer, amount) VALUES (?, ?)", name, amount)))
                .thenCompose(r -> tx.execute("UPDATE stats SET n = n + 1")))
                .whenCompleteAsync((r, e) -> {
                    if (e != null) {
                        errors.add(e);
                    }
                    asyncChain(db, rnd, name, left - 1, done, errors);
                });
    }
}
