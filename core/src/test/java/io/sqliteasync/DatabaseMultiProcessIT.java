package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Another process writing the same file at the same time: busy_timeout plus BEGIN IMMEDIATE lose nothing. */
class DatabaseMultiProcessIT {
    private static final int TRANSACTIONS = 1500;

    @TempDir
    Path dir;

    /**
     * Writes {@code transactions} rows tagged {@code tag}, one per transaction. After its first, the writer waits
     * until the other process has committed a row too, so both are writing at the same time by construction, however
     * the machine schedules the two processes.
     */
    static void write(Database db, int transactions, String tag, String otherTag) {
        for (int i = 0; i < transactions; i++) {
            if (i == 1) {
                awaitRowOf(db, otherTag);
            }
            db.transaction(tx -> tx.fetchOne("SELECT n FROM counter").thenCompose(r -> {
                long n = r.getLong(0);
                return tx.execute("INSERT INTO items(seq, tag) VALUES (?, ?)", n + 1, tag)
                        .thenCompose(x -> tx.execute("UPDATE counter SET n = ?", n + 1));
            })).join();
        }
    }

    private static void awaitRowOf(Database db, String tag) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (db.fetchOne("SELECT count(*) FROM items WHERE tag = ?", tag).join().getLong(0) == 0) {
            if (System.nanoTime() - until > 0) {
                throw new IllegalStateException("no row of " + tag + " after 120 s: the other writer never wrote");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aSecondProcessWritingTheSameFileLosesNothing() throws Exception {
        String path = dir.resolve("m.db").toString();
        try (Database db = await(Database.open(path))) {
            await(db.executeScript("CREATE TABLE counter(n INTEGER NOT NULL); INSERT INTO counter VALUES (0);"
                    + "CREATE TABLE items(seq INTEGER PRIMARY KEY, tag TEXT NOT NULL);"));
            Path log = dir.resolve("child.log");
            Process child = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp",
                    System.getProperty("java.class.path"), DatabaseWriterProcess.class.getName(), path,
                    Integer.toString(TRANSACTIONS), "child", "parent")
                    .redirectError(log.toFile())
                    .start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8));
                assertThat(out.readLine()).as("child output; its stderr: %s", log).isEqualTo("READY");
                write(db, TRANSACTIONS, "parent", "child");
                assertThat(out.readLine()).as("child output; its stderr: %s", log).isEqualTo("WROTE");
                assertThat(child.waitFor(150, TimeUnit.SECONDS)).isTrue();
                assertThat(child.exitValue()).as("child exit; stderr:%n%s", Files.readString(log)).isZero();
            } finally {
                child.destroyForcibly();
            }
            Row end = await(db.fetchOne("SELECT (SELECT n FROM counter), count(*), max(seq),"
                    + " sum(tag = 'parent'), sum(tag = 'child') FROM items"));
            assertThat(end.getLong(0)).isEqualTo(2L * TRANSACTIONS);
            assertThat(end.getLong(1)).isEqualTo(2L * TRANSACTIONS);
            assertThat(end.getLong(2)).isEqualTo(2L * TRANSACTIONS);
            assertThat(end.getLong(3)).isEqualTo(TRANSACTIONS);
            assertThat(end.getLong(4)).isEqualTo(TRANSACTIONS);
            // The writes overlapped: each process committed its first row before the other committed its last.
            Row spans = await(db.fetchOne("SELECT min(seq) FILTER (WHERE tag = 'parent'),"
                    + " max(seq) FILTER (WHERE tag = 'parent'), min(seq) FILTER (WHERE tag = 'child'),"
                    + " max(seq) FILTER (WHERE tag = 'child') FROM items"));
            assertThat(spans.getLong(0)).isLessThan(spans.getLong(3));
            assertThat(spans.getLong(2)).isLessThan(spans.getLong(1));
            // How often the lock changes hands depends on SQLite's busy-handler backoff and scheduling (1 to 800 seen on
            // a shared 2-core machine), so it is reported, not asserted; the overlap above is the concurrency check.
            List<Row> tags = await(db.fetchAll("SELECT tag FROM items ORDER BY seq"));
            int switches = 0;
            for (int i = 1; i < tags.size(); i++) {
                if (!tags.get(i).getString(0).equals(tags.get(i - 1).getString(0))) {
                    switches++;
                }
            }
            System.out.println("multi-process: the writer changed process " + switches + " times");
            assertThat(switches).isPositive();
        }
    }
}
