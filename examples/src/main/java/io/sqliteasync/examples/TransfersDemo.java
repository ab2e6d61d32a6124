package io.sqliteasync.examples;

import io.sqliteasync.Database;
import io.sqliteasync.DatabaseStats;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Many concurrent writers on one file without "database is locked": 200 transfer transactions from 50 concurrent
 * callers through a {@link Database} (one WAL writer, readers for the balance checks), then a consistency check.
 * Run it from an IDE, or after the README's demo build with
 * {@code java -cp "examples/target/classes:core/target/classes:<sqlite-jdbc jar>" io.sqliteasync.examples.TransfersDemo}.
 *
 * <p>The same program runs unchanged against a dqlite cluster: give it a {@code dqlite://host:port,.../name} URL
 * (as the argument or the system property {@code sqliteasync.location}) and put {@code sqlite-async-dqlite} on the
 * class path. The location alone picks the engine.
 */
public final class TransfersDemo {
    private static final int ACCOUNTS = 20;
    private static final long INITIAL = 1_000;

    private TransfersDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args optional: the database location, a file or a {@code dqlite://} URL (default: the system
     *     property {@code sqliteasync.location}, else a new temporary file)
     * @throws Exception if the demo fails
     */
    public static void main(String[] args) throws Exception {
        String location = args.length > 0 ? args[0] : System.getProperty("sqliteasync.location");
        if (location == null) {
            location = Files.createTempDirectory("sqlite-async-transfers").resolve("bank.db").toString();
        }
        try (Database db = Database.open(location).join()) {
            db.executeScript("CREATE TABLE IF NOT EXISTS account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL "
                    + "CHECK (balance >= 0)); DELETE FROM account;").join();
            List<Object[]> rows = new ArrayList<>();
            for (int i = 1; i <= ACCOUNTS; i++) {
                rows.add(new Object[] {i, INITIAL});
            }
            db.executeMany("INSERT INTO account(id, balance) VALUES (?, ?)", rows).join();

            long t0 = System.nanoTime();
            Random random = new Random(1);
            List<CompletableFuture<Boolean>> transfers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int from = 1 + random.nextInt(ACCOUNTS);
                int to = 1 + random.nextInt(ACCOUNTS);
                long amount = 1 + random.nextInt(200);
                // Read-modify-write inside one transaction on the single writer: no lost update, no busy error.
                transfers.add(db.transaction(tx -> tx.fetchOne("SELECT balance FROM account WHERE id = ?", from)
                        .thenCompose(row -> {
                            if (row.getLong(0) < amount) {
                                return CompletableFuture.completedFuture(false);
                            }
                            return tx.execute("UPDATE account SET balance = balance - ? WHERE id = ?", amount, from)
                                    .thenCompose(r -> tx.execute("UPDATE account SET balance = balance + ? WHERE id = ?",
                                            amount, to))
                                    .thenApply(r -> true);
                        })));
            }
            CompletableFuture.allOf(transfers.toArray(CompletableFuture[]::new)).join();
            long done = transfers.stream().filter(CompletableFuture::join).count();
            long total = db.fetchOne("SELECT sum(balance) FROM account").join().getLong(0);
            DatabaseStats stats = db.stats();
            System.out.printf("%d of 200 transfers done (the rest lacked funds) in %.1f ms; total balance %d (expected %d)"
                    + "; writer waits max %d ms%n", done, (System.nanoTime() - t0) / 1e6, total, ACCOUNTS * INITIAL,
                    stats.writerWaitMax().toMillis());
            if (total != ACCOUNTS * INITIAL) {
                throw new IllegalStateException("money was created or lost");
            }
        }
    }
}
