package io.sqliteasync.reliability;

import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.Transaction;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child process of {@link CrashLoopIT}. Opens a {@link Database} on the file (WAL) and commits transactions from
 * several concurrent callers until it is killed: {@code async} chains of {@code transaction(fn)} futures and
 * {@code blocking} threads on {@code db.blocking()}. Each transaction inserts one ledger row and adds its amount to
 * the {@code all} counter and to the caller's own counter. An id is printed ({@code ACK <id> END}) only after its
 * future completed successfully, and stdout is flushed at once. A failed transaction prints {@code FAIL ...}.
 * The child exits when its stdin closes, so it never outlives the test JVM.
 *
 * <p>With a fifth argument {@code group}, the database runs with group commit on and each caller makes plain writes
 * instead: one {@code INSERT} into the ledger per id through {@code db.execute} (async chains) or
 * {@code db.blocking().execute} (blocking threads), whose trigger (created by the parent) updates the counters in the
 * same statement; concurrent writes then share commits. Every other async chain makes {@code transaction(fn)} units
 * instead (insert the ledger row with amount 0, then update its amount), which group commit batches with the plain
 * writes, each in a savepoint of its own.
 */
public final class CrashLoopChild {
    private static final PrintStream OUT = System.out;

    private CrashLoopChild() {
    }

    static long amount(long id) {
        return id % 97 + 1;
    }

    /** The statements of one transaction: the same in the child and in the parent's expectations. */
    static CompletableFuture<Void> transfer(Transaction tx, long id, String caller) {
        long amount = amount(id);
        return tx.execute("INSERT INTO ledger(id, amount, caller) VALUES (?, ?, ?)", id, amount, caller)
                .thenCompose(r -> tx.execute("UPDATE counters SET n = n + 1, total = total + ? WHERE name = 'all'",
                        amount))
                .thenCompose(r -> tx.execute("INSERT INTO counters(name, n, total) VALUES (?, 1, ?)"
                        + " ON CONFLICT(name) DO UPDATE SET n = n + 1, total = total + excluded.total", caller, amount))
                .thenApply(r -> null);
    }

    /**
     * Runs the writer.
     *
     * @param args the database path, the first id, the number of async chains, the number of blocking threads
     */
    public static void main(String[] args) throws Exception {
        String path = args[0];
        AtomicLong next = new AtomicLong(Long.parseLong(args[1]));
        int async = Integer.parseInt(args[2]);
        int blocking = Integer.parseInt(args[3]);
        boolean group = args.length > 4 && args[4].equals("group");
        Thread stdin = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // only waiting for end of input
                }
            } catch (Exception e) {
                // fall through: the parent is gone
            }
            Runtime.getRuntime().halt(3);
        }, "stdin-watch");
        stdin.setDaemon(true);
        stdin.start();

        Database db = Database.open(DatabaseOptions.builder(path).groupCommit(group).build()).join();
        ExecutorService acks = Executors.newSingleThreadExecutor();
        if (group) {
            for (int c = 0; c < async; c++) {
                db.execute("INSERT OR IGNORE INTO counters VALUES (?, 0, 0)", "async-" + c).join();
            }
            for (int c = 0; c < blocking; c++) {
                db.execute("INSERT OR IGNORE INTO counters VALUES (?, 0, 0)", "blocking-" + c).join();
            }
        }
        line("READY");
        for (int c = 0; c < async; c++) {
            String caller = "async-" + c;
            if (group && c % 2 == 1) {
                unitChain(db, next, caller, acks);
            } else if (group) {
                plainChain(db, next, caller, acks);
            } else {
                chain(db, next, caller, acks);
            }
        }
        for (int c = 0; c < blocking; c++) {
            String caller = "blocking-" + c;
            Thread t = new Thread(() -> {
                while (true) {
                    long id = next.getAndIncrement();
                    try {
                        if (group) {
                            db.blocking().execute(LEDGER_INSERT, id, amount(id), caller);
                            line("ACK " + id + " END");
                            continue;
                        }
                        db.blocking().transaction(tx -> {
                            long amount = amount(id);
                            tx.execute("INSERT INTO ledger(id, amount, caller) VALUES (?, ?, ?)", id, amount, caller);
                            tx.execute("UPDATE counters SET n = n + 1, total = total + ? WHERE name = 'all'", amount);
                            tx.execute("INSERT INTO counters(name, n, total) VALUES (?, 1, ?) ON CONFLICT(name)"
                                    + " DO UPDATE SET n = n + 1, total = total + excluded.total", caller, amount);
                            return null;
                        });
                        line("ACK " + id + " END");
                    } catch (Throwable e) {
                        line("FAIL " + caller + " " + id + " " + oneLine(e));
                    }
                }
            }, caller);
            t.start();
        }
        Thread.currentThread().join();
    }

    /** One plain write per id, in group mode; the trigger keeps the counters. */
    static final String LEDGER_INSERT = "INSERT INTO ledger(id, amount, caller) VALUES (?, ?, ?)";

    private static void plainChain(Database db, AtomicLong next, String caller, ExecutorService acks) {
        long id = next.getAndIncrement();
        db.execute(LEDGER_INSERT, id, amount(id), caller).whenCompleteAsync((r, e) -> {
            if (e == null) {
                line("ACK " + id + " END");
            } else {
                line("FAIL " + caller + " " + id + " " + oneLine(e));
            }
            plainChain(db, next, caller, acks);
        }, acks);
    }

    /**
     * In group mode, every other async chain: one {@code transaction(fn)} unit per id, batched with the plain writes,
     * which inserts the ledger row with amount 0 and then sets its amount (triggers keep the counters); the parent
     * checks that no ledger row is left with the wrong amount, so a unit is all or nothing.
     */
    private static void unitChain(Database db, AtomicLong next, String caller, ExecutorService acks) {
        long id = next.getAndIncrement();
        db.transaction(tx -> tx.execute(LEDGER_INSERT, id, 0, caller)
                .thenCompose(r -> tx.execute("UPDATE ledger SET amount = ? WHERE id = ?", amount(id), id)))
                .whenCompleteAsync((r, e) -> {
                    if (e == null) {
                        line("ACK " + id + " END");
                    } else {
                        line("FAIL " + caller + " " + id + " " + oneLine(e));
                    }
                    unitChain(db, next, caller, acks);
                }, acks);
    }

    private static void chain(Database db, AtomicLong next, String caller, ExecutorService acks) {
        long id = next.getAndIncrement();
        db.transaction(tx -> transfer(tx, id, caller)).whenCompleteAsync((r, e) -> {
            if (e == null) {
                line("ACK " + id + " END");
            } else {
                line("FAIL " + caller + " " + id + " " + oneLine(e));
            }
            chain(db, next, caller, acks);
        }, acks);
    }

    private static String oneLine(Throwable e) {
        return String.valueOf(e).replace('\n', ' ').replace('\r', ' ');
    }

    private static void line(String s) {
        synchronized (OUT) {
            OUT.println(s);
            OUT.flush();
        }
    }
}
