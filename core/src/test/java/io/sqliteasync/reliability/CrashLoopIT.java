package io.sqliteasync.reliability;

import static io.sqliteasync.reliability.Reliability.HANG_SECONDS;
import static io.sqliteasync.reliability.Reliability.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.Row;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash loop: a child JVM commits transactions on a WAL database from concurrent async and blocking callers and
 * acknowledges each id on stdout after its future completed; the parent kills it with SIGKILL
 * ({@code destroyForcibly}) at a seeded moment (after a seeded number of acknowledgements, or during start-up and
 * recovery), again and again. After every kill: every acknowledged id is in the file, the counters agree with the
 * ledger rows, and {@code PRAGMA integrity_check} says ok.
 */
class CrashLoopIT {
    private static final String CHECK = "CrashLoopIT";
    private static final Pattern ACK = Pattern.compile("^ACK (\\d+) END$");

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedCommitSurvivesSigkillAndTheFileStaysConsistent() throws Exception {
        crashLoop(CHECK, "", "3", "2");
    }

    /**
     * The same loop with group commit on: many concurrent plain writes and {@code transaction(fn)} units (insert, then
     * update, in one function) share commits, and the kill lands while batches run; an id is acknowledged only once
     * the batch holding it committed, and no unit is found half done.
     */
    @Test
    void everyAcknowledgedGroupCommittedWriteSurvivesSigkill() throws Exception {
        crashLoop(CHECK + "-group", "CREATE TRIGGER ledger_counts AFTER INSERT ON ledger BEGIN"
                + " UPDATE counters SET n = n + 1, total = total + NEW.amount"
                + " WHERE name = 'all' OR name = NEW.caller; END;"
                + " CREATE TRIGGER ledger_amounts AFTER UPDATE OF amount ON ledger BEGIN"
                + " UPDATE counters SET total = total + NEW.amount - OLD.amount"
                + " WHERE name = 'all' OR name = NEW.caller; END;", "24", "4", "group");
    }

    private void crashLoop(String check, String extraSchema, String... childArgs) throws Exception {
        long seed = Reliability.seed(check);
        Random rnd = new Random(seed);
        int kills = Reliability.size(5, 100);
        Path db = dir.resolve("crash.db");
        try (AsyncConnection c = await(AsyncConnection.open(db.toString()), "open")) {
            await(c.executeScript("PRAGMA journal_mode = WAL;"
                    + "CREATE TABLE ledger(id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, caller TEXT NOT NULL);"
                    + "CREATE TABLE counters(name TEXT PRIMARY KEY, n INTEGER NOT NULL, total INTEGER NOT NULL);"
                    + "INSERT INTO counters VALUES ('all', 0, 0);" + extraSchema), "schema");
        }
        Set<Long> acknowledged = new HashSet<>();
        long totalAcks = 0;
        int killedBeforeReady = 0;
        for (int i = 0; i < kills; i++) {
            String at = "seed=" + seed + " kill #" + i;
            boolean early = rnd.nextInt(10) == 0;
            int target = 1 + rnd.nextInt(Reliability.size(200, 400));
            Path log = dir.resolve("child-" + i + ".log");
            List<String> args = new ArrayList<>(List.of(db.toString(), Long.toString((i + 1) * 100_000_000L)));
            args.addAll(List.of(childArgs));
            Process child = Reliability.startChild(CrashLoopChild.class, log, args.toArray(new String[0]));
            Set<Long> acks = ConcurrentHashMap.newKeySet();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> ready = new CompletableFuture<>();
            CompletableFuture<Void> enough = new CompletableFuture<>();
            AtomicInteger count = new AtomicInteger();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        Matcher m = ACK.matcher(line);
                        if (m.matches()) {
                            acks.add(Long.parseLong(m.group(1)));
                            if (count.incrementAndGet() >= target) {
                                enough.complete(null);
                            }
                        } else if (line.equals("READY")) {
                            ready.complete(null);
                        } else if (line.startsWith("FAIL")) {
                            failures.add(line);
                        }
                        // Anything else, such as a line cut by the kill, acknowledges nothing.
                    }
                } catch (Exception e) {
                    // the pipe broke with the kill: the lines read so far are what was acknowledged
                }
                ready.complete(null);
                enough.complete(null);
            }, "crash-loop-reader");
            reader.setDaemon(true);
            reader.start();
            try {
                if (early) {
                    // Kill during JVM start-up, open and WAL recovery: only the child's own progress decides the moment.
                    killedBeforeReady++;
                } else {
                    await(ready, at + ": child READY; stderr " + log);
                    await(enough, at + ": " + target + " acknowledgements; stderr " + log);
                    // The reader also completes both at end of output: a child that died by itself (or never
                    // started) must fail the check, not pass it with nothing acknowledged.
                    assertThat(child.isAlive()).as(at + ": child alive until killed; stderr:%n%s",
                            Files.exists(log) ? Files.readString(log) : "").isTrue();
                    assertThat(count.get()).as(at + ": acknowledgements before the kill").isGreaterThanOrEqualTo(target);
                }
            } finally {
                child.destroyForcibly();
            }
            assertThat(child.waitFor(HANG_SECONDS, TimeUnit.SECONDS)).as(at + ": child ended after SIGKILL").isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
            assertThat(reader.isAlive()).as(at + ": stdout reader finished").isFalse();
            assertThat(failures).as(at + ": failed transactions in the child; stderr:%n%s", Files.readString(log))
                    .isEmpty();
            acknowledged.addAll(acks);
            totalAcks += acks.size();
            verify(db, acknowledged, at);
        }
        String units = "";
        if (List.of(childArgs).contains("group")) {
            // The odd async chains make transaction(fn) units: some of them must have been acknowledged and kept.
            long unitRows;
            try (AsyncConnection c = await(AsyncConnection.open(db.toString()), "reopen")) {
                unitRows = await(c.fetchOne("SELECT count(*) FROM ledger WHERE caller GLOB 'async-*'"
                        + " AND CAST(substr(caller, 7) AS INTEGER) % 2 = 1"), "unit rows").getLong(0);
            }
            assertThat(unitRows).as("rows written by transaction(fn) units").isPositive();
            units = " (" + unitRows + " rows in the file from transaction(fn) units)";
        }
        Reliability.report(check, kills + " SIGKILLs (" + killedBeforeReady + " during start-up), " + totalAcks
                + " acknowledged commits, all present" + units + "; integrity ok after every kill");
    }

    private static void verify(Path db, Set<Long> acknowledged, String at) {
        try (AsyncConnection c = await(AsyncConnection.open(db.toString()), at + ": reopen")) {
            List<Row> integrity = await(c.fetchAll("PRAGMA integrity_check"), at + ": integrity_check");
            assertThat(integrity).as(at + ": integrity_check").hasSize(1);
            assertThat(integrity.get(0).getString(0)).as(at + ": integrity_check").isEqualTo("ok");
            Set<Long> ids = new HashSet<>();
            for (Row r : await(c.fetchAll("SELECT id FROM ledger"), at + ": ids")) {
                ids.add(r.getLong(0));
            }
            Set<Long> missing = new HashSet<>(acknowledged);
            missing.removeAll(ids);
            assertThat(missing).as(at + ": acknowledged ids missing from the file").isEmpty();
            Row sums = await(c.fetchOne("SELECT count(*), coalesce(sum(amount), 0),"
                    + " (SELECT n FROM counters WHERE name = 'all'), (SELECT total FROM counters WHERE name = 'all'),"
                    + " (SELECT coalesce(sum(n), 0) FROM counters WHERE name <> 'all'),"
                    + " (SELECT coalesce(sum(total), 0) FROM counters WHERE name <> 'all') FROM ledger"), at + ": sums");
            // Every row carries its id's amount: no transaction (or group-commit unit) was found half done.
            Row wrong = await(c.fetchOne("SELECT count(*) FROM ledger WHERE amount <> id % 97 + 1"), at + ": amounts");
            assertThat(wrong.getLong(0)).as(at + ": ledger rows with a partial transaction's amount").isZero();
            assertThat(sums.getLong(2)).as(at + ": counter n vs ledger rows").isEqualTo(sums.getLong(0));
            assertThat(sums.getLong(3)).as(at + ": counter total vs ledger amounts").isEqualTo(sums.getLong(1));
            assertThat(sums.getLong(4)).as(at + ": per-caller counters vs ledger rows").isEqualTo(sums.getLong(0));
            assertThat(sums.getLong(5)).as(at + ": per-caller totals vs ledger amounts").isEqualTo(sums.getLong(1));
            List<Row> perCaller = await(c.fetchAll("SELECT c.name, c.n, c.total, count(l.id), coalesce(sum(l.amount), 0)"
                    + " FROM counters c LEFT JOIN ledger l ON l.caller = c.name WHERE c.name <> 'all' GROUP BY c.name"),
                    at + ": per caller");
            for (Row r : perCaller) {
                assertThat(r.getLong(1)).as(at + ": rows of " + r.getString(0)).isEqualTo(r.getLong(3));
                assertThat(r.getLong(2)).as(at + ": total of " + r.getString(0)).isEqualTo(r.getLong(4));
            }
        }
    }
}
