package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands queued but never awaited still run when the JVM exits: each case runs a child JVM that queues work and
 * exits, and the parent checks the file.
 */
class ShutdownDrainIT {
    private static final int ROWS = 2_000;

    @TempDir
    Path dir;

    @Test
    void insertsQueuedWithoutAwaitingAreAllWrittenWhenMainReturns() throws Exception {
        Path db = dir.resolve("return.db");
        Child c = run(Writer.class, List.of(), db.toString(), "connection", "return");
        assertThat(c.exitValue).as(c.output).isZero();
        assertThat(count(db)).as(c.output).isEqualTo(ROWS);
    }

    @Test
    void insertsQueuedWithoutAwaitingAreAllWrittenWhenMainCallsSystemExit() throws Exception {
        Path db = dir.resolve("exit.db");
        Child c = run(Writer.class, List.of(), db.toString(), "connection", "exit");
        assertThat(c.exitValue).as(c.output).isZero();
        assertThat(count(db)).as(c.output).isEqualTo(ROWS);
    }

    @Test
    void aDatabaseIsDrainedAsAWholeWritesWaitingForTheWriterIncluded() throws Exception {
        Path db = dir.resolve("database.db");
        Child c = run(Writer.class, List.of(), db.toString(), "database", "return");
        assertThat(c.exitValue).as(c.output).isZero();
        // Half the inserts wait in the database's writer queue behind a transaction when main returns.
        assertThat(count(db)).as(c.output).isEqualTo(ROWS + 1);
    }

    @Test
    void anEndlessQueryDoesNotHoldTheExitPastTheDrainLimitAndTheLogSaysItGaveUp() throws Exception {
        Child c = run(Endless.class, List.of(), dir.resolve("endless.db").toString(), "option");
        assertThat(c.output).contains("gave up draining", "sqlite-async-connection-");
    }

    @Test
    void theSystemPropertyReplacesTheOptionsLimit() throws Exception {
        // The option alone would wait ten minutes; the property's 300 ms lets the child exit.
        Child c = run(Endless.class, List.of("-D" + ConnectionOptions.SHUTDOWN_DRAIN_TIMEOUT_PROPERTY + "=300"),
                dir.resolve("property.db").toString(), "property");
        assertThat(c.output).contains("gave up draining", "limit PT0.3S");
    }

    private long count(Path db) {
        try (AsyncConnection c = AsyncConnection.open(db.toString()).join()) {
            return c.fetchOne("SELECT count(*) FROM t").join().getLong(0);
        }
    }

    private record Child(int exitValue, String output) {
    }

    private static Child run(Class<?> main, List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Djava.util.logging.manager=" + KeepHandlersLogManager.class.getName());
        cmd.addAll(jvmOptions);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // Only a bound on a hang: every child exits within its drain limit, below this.
        boolean exited = p.waitFor(300, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("the child JVM exited; output: %s", output).isTrue();
        return new Child(p.exitValue(), output);
    }

    /**
     * java.util.logging resets (closes) its handlers in a shutdown hook of its own, which may run before the drain
     * writes its line: the children keep their handlers so that the line reaches the parent.
     */
    public static final class KeepHandlersLogManager extends LogManager {
        /** Set once the configuration is read: resets after it come from the JDK's shutdown hook. */
        static volatile boolean configured;

        /** Called by {@link LogManager} through {@code java.util.logging.manager}. */
        public KeepHandlersLogManager() {
        }

        /** Reads the configuration and opens the console handler now, then keeps it until the JVM ends. */
        static void keep() {
            java.util.logging.Logger.getLogger("").getHandlers();
            configured = true;
        }

        @Override
        public void reset() {
            if (!configured) {
                super.reset();
            }
        }
    }

    /** Child: queues inserts without awaiting them, then returns from main or calls System.exit(0). */
    public static final class Writer {
        public static void main(String[] args) {
            KeepHandlersLogManager.keep();
            String path = args[0];
            // A limit far above what 2,000 small inserts take even on a loaded machine, so that only a drain that
            // does not happen (the defect) can lose rows.
            Duration limit = Duration.ofMinutes(2);
            if (args[1].equals("connection")) {
                AsyncConnection db = AsyncConnection.open(ConnectionOptions.builder(path)
                        .pragma("journal_mode", "WAL").pragma("synchronous", "NORMAL")
                        .shutdownDrainTimeout(limit).build()).join();
                db.execute("CREATE TABLE t(i INTEGER)").join();
                for (int i = 0; i < ROWS; i++) {
                    db.execute("INSERT INTO t VALUES (?)", i);
                }
            } else {
                Database db = Database.open(DatabaseOptions.builder(path).shutdownDrainTimeout(limit).build()).join();
                db.execute("CREATE TABLE t(i INTEGER)").join();
                for (int i = 0; i < ROWS / 2; i++) {
                    db.execute("INSERT INTO t VALUES (?)", i);
                }
                // A transaction that ends a little after main has returned, with inserts queued behind it.
                db.transaction(tx -> tx.execute("INSERT INTO t VALUES (-1)")
                        .thenCompose(r -> java.util.concurrent.CompletableFuture.supplyAsync(() -> r,
                                java.util.concurrent.CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS))));
                for (int i = ROWS / 2; i < ROWS; i++) {
                    db.execute("INSERT INTO t VALUES (?)", i);
                }
            }
            if (args[2].equals("exit")) {
                System.exit(0);
            }
        }
    }

    /** Child: queues an endless query behind a write, with a short drain limit, and returns from main. */
    public static final class Endless {
        public static void main(String[] args) {
            KeepHandlersLogManager.keep();
            Duration limit = args[1].equals("option") ? Duration.ofMillis(300) : Duration.ofMinutes(10);
            AsyncConnection db = AsyncConnection.open(ConnectionOptions.builder(args[0])
                    .shutdownDrainTimeout(limit).build()).join();
            db.execute("CREATE TABLE t(i INTEGER)").join();
            db.fetchOne("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n");
            db.execute("INSERT INTO t VALUES (1)");
        }
    }
}
