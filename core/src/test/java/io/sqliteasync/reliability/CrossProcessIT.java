package io.sqliteasync.reliability;

import static io.sqliteasync.reliability.Reliability.HANG_SECONDS;
import static io.sqliteasync.reliability.Reliability.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.Database;
import io.sqliteasync.Row;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-process: two child JVMs and this JVM write the same WAL file at the same time, each through its own
 * {@link Database}, with read-modify-write transactions on one counter. SQLite's busy timeout must absorb every lock
 * wait: no busy error, no lost write (the counter equals the row count and every sequence number 1..N is there once),
 * every snapshot consistent, integrity ok.
 */
class CrossProcessIT {
    private static final String CHECK = "CrossProcessIT";

    @TempDir
    Path dir;

    @Test
    void threeProcessesWritingOneFileLoseNothingAndNeverSeeBusy() throws Exception {
        int perProcess = Reliability.size(300, 5_000);
        String path = dir.resolve("shared.db").toString();
        try (Database db = await(Database.open(CrossProcessChild.options(path)), "open")) {
            await(db.executeScript("CREATE TABLE counter(n INTEGER NOT NULL); INSERT INTO counter VALUES (0);"
                    + "CREATE TABLE items(seq INTEGER PRIMARY KEY, tag TEXT NOT NULL);"), "schema");
            List<Process> children = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            List<BufferedReader> outs = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Path log = dir.resolve("child-" + i + ".log");
                    Process p = Reliability.startChild(CrossProcessChild.class, log, path, Integer.toString(perProcess),
                            "child" + i);
                    children.add(p);
                    logs.add(log);
                    outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
                }
                for (int i = 0; i < 2; i++) {
                    BufferedReader out = outs.get(i);
                    String first = await(CompletableFuture.supplyAsync(() -> readLine(out)), "child READY");
                    assertThat(first).as("child %d; stderr %s", i, logs.get(i)).isEqualTo("READY");
                }
                for (Process p : children) {
                    OutputStream in = p.getOutputStream();
                    in.write("GO\n".getBytes(StandardCharsets.UTF_8));
                    in.flush();
                }
                List<CompletableFuture<String>> done = new ArrayList<>();
                for (BufferedReader out : outs) {
                    done.add(CompletableFuture.supplyAsync(() -> readLine(out)));
                }
                CrossProcessChild.Counts mine = CrossProcessChild.write(db, perProcess, "parent");
                assertThat(mine.busy()).as("parent busy errors %s", mine.samples()).isZero();
                assertThat(mine.other()).as("parent errors %s", mine.samples()).isZero();
                assertThat(mine.violations()).as("parent inconsistent snapshots").isZero();
                assertThat(mine.ok()).isEqualTo(perProcess);
                long waitSeconds = Reliability.FULL ? 1_800 : 300;
                for (int i = 0; i < 2; i++) {
                    String line = await(done.get(i), waitSeconds, "child " + i + " DONE");
                    String why = "child " + i + " stderr:\n" + Files.readString(logs.get(i));
                    assertThat(line).as(why).isNotNull().startsWith("DONE ");
                    String[] f = line.split(" ");
                    assertThat(Long.parseLong(f[2])).as("busy errors in child %d; %s", i, why).isZero();
                    assertThat(Long.parseLong(f[3])).as("errors in child %d; %s", i, why).isZero();
                    assertThat(Long.parseLong(f[4])).as("inconsistent snapshots in child %d", i).isZero();
                    assertThat(Long.parseLong(f[1])).as("commits of child %d", i).isEqualTo(perProcess);
                    assertThat(children.get(i).waitFor(HANG_SECONDS, TimeUnit.SECONDS)).isTrue();
                    assertThat(children.get(i).exitValue()).as(why).isZero();
                }
            } finally {
                children.forEach(Process::destroyForcibly);
            }
            long total = 3L * perProcess;
            Row end = await(db.fetchOne("SELECT (SELECT n FROM counter), count(*), min(seq), max(seq),"
                    + " sum(tag = 'parent'), sum(tag = 'child0'), sum(tag = 'child1') FROM items"), "totals");
            assertThat(end.getLong(0)).as("counter").isEqualTo(total);
            assertThat(end.getLong(1)).as("rows").isEqualTo(total);
            assertThat(end.getLong(2)).isEqualTo(1);
            assertThat(end.getLong(3)).isEqualTo(total);
            assertThat(end.getLong(4)).isEqualTo(perProcess);
            assertThat(end.getLong(5)).isEqualTo(perProcess);
            assertThat(end.getLong(6)).isEqualTo(perProcess);
            assertThat(await(db.fetchOne("PRAGMA integrity_check"), "integrity").getString(0)).isEqualTo("ok");
            Reliability.report(CHECK, "3 processes x " + perProcess + " transactions = " + total
                    + " commits, none lost, 0 busy, integrity ok");
        }
    }

    private static String readLine(BufferedReader r) {
        try {
            return r.readLine();
        } catch (java.io.IOException e) {
            return "IOException " + e;
        }
    }
}
