package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing: queued work finishes, later calls fail, threads end, a crashed worker fails every call. */
class CloseIT {
    @TempDir
    Path dir;

    @Test
    void closeWaitsForQueuedCommandsAndLaterCallsFail() {
        String file = dir.resolve("q.db").toString();
        AsyncConnection db = AsyncConnection.open(file).join();
        db.execute("CREATE TABLE t(x)").join();
        CompletableFuture<Object> gate = new CompletableFuture<>();
        db.run(conn -> gate.join());
        List<CompletableFuture<ExecuteResult>> queued = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            queued.add(db.execute("INSERT INTO t VALUES (?)", i));
        }
        CompletableFuture<Void> closing = db.closeAsync();
        assertThat(db.isClosed()).isTrue();
        CompletableFuture<ExecuteResult> late = db.execute("INSERT INTO t VALUES (-1)");
        gate.complete("go");
        closing.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(queued).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThatThrownBy(late::join).hasCauseInstanceOf(SqliteClosedException.class)
                .hasMessageContaining("connection is closed");
        assertThatThrownBy(() -> db.fetchAll("SELECT 1").join()).hasCauseInstanceOf(SqliteClosedException.class);
        assertThatThrownBy(() -> db.blocking().execute("SELECT 1")).isInstanceOf(SqliteClosedException.class);
        db.close();
        db.closeAsync().join();
        try (AsyncConnection again = AsyncConnection.open(file).join()) {
            assertThat(again.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isEqualTo(100);
        }
    }

    @Test
    void closeEndsTheWorkerThreadAndClosesOpenCursors() {
        AsyncConnection db = AsyncConnection.open(dir.resolve("c.db").toString()).join();
        Thread worker = db.run(conn -> Thread.currentThread()).join();
        db.execute("CREATE TABLE t(x)").join();
        db.execute("INSERT INTO t VALUES (1), (2), (3)").join();
        Cursor open = db.cursor("SELECT x FROM t").join();
        open.fetchOne().join();
        db.close();
        assertThat(awaitDeath(worker)).isFalse();
        assertThatThrownBy(() -> open.fetchOne().join()).hasCauseInstanceOf(SqliteClosedException.class);
        open.close();
    }

    @Test
    void closeFromAContinuationOnTheWorkerDoesNotDeadlock() {
        AsyncConnection db = AsyncConnection.open(dir.resolve("w.db").toString()).join();
        CompletableFuture<Object> gate = new CompletableFuture<>();
        CompletableFuture<Void> chain = db.run(conn -> gate.join()).thenAccept(x -> db.close());
        gate.complete("go");
        chain.orTimeout(10, TimeUnit.SECONDS).join();
        db.closeAsync().orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(db.isClosed()).isTrue();
    }

    /**
     * The worker loop survives anything a job throws, but not an {@link Error} from the completion executor: that
     * one kills the worker right after it completed the running call. Here the executor throws once, on demand.
     */
    @Test
    void aDyingWorkerFailsQueuedAndLaterCallsWithOneClearException() {
        AtomicBoolean crashNext = new AtomicBoolean();
        Executor crashing = task -> {
            task.run();
            if (crashNext.compareAndSet(true, false)) {
                throw new InternalError("simulated worker crash");
            }
        };
        AsyncConnection db = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("d.db").toString())
                .completionExecutor(crashing).build()).join();
        Thread worker = db.run(conn -> Thread.currentThread()).join();
        CompletableFuture<Object> gate = new CompletableFuture<>();
        CompletableFuture<Void> inside = new CompletableFuture<>();
        CompletableFuture<Object> running = db.run(conn -> {
            inside.complete(null);
            return gate.join();
        });
        CompletableFuture<Row> queued = db.fetchOne("SELECT 1");
        // Armed only once the worker runs the gated call: the previous call's completion (which may still be in the
        // executor when its caller already returned from join()) must not be the one that crashes.
        inside.join();
        crashNext.set(true);
        gate.complete("go");
        running.join();
        assertThatThrownBy(queued::join).hasCauseInstanceOf(SqliteClosedException.class)
                .hasMessageContaining("died").hasMessageContaining("simulated worker crash");
        assertThat(awaitDeath(worker)).isFalse();
        assertThatThrownBy(() -> db.execute("SELECT 1").join()).hasCauseInstanceOf(SqliteClosedException.class)
                .hasMessageContaining("simulated worker crash");
        db.closeAsync().orTimeout(5, TimeUnit.SECONDS).join();
    }

    @Test
    void aFailedOpenLeavesNoThread() {
        long before = ConcurrencyIT.workerThreads();
        assertThatThrownBy(() -> AsyncConnection.open(ConnectionOptions.builder(dir.resolve("no/such/dir.db")
                .toString()).build()).join()).hasCauseInstanceOf(SqliteException.class);
        assertThat(ConcurrencyIT.waitForWorkers(before)).isLessThanOrEqualTo(before);
    }

    /**
     * A separate JVM opens a connection, uses it and lets main return without closing it: worker threads are
     * daemons, so the JVM must exit on its own.
     */
    @Test
    void aChildJvmThatLeavesAConnectionOpenExits() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                LeaveOpen.class.getName(), dir.resolve("child.db").toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        boolean exited = p.waitFor(30, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!exited) {
            p.destroyForcibly();
        }
        assertThat(exited).as("child JVM exited; output: %s", output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("rows=1");
    }

    /** The child program: opens, writes, reads, and returns from main with the connection open. */
    public static final class LeaveOpen {
        public static void main(String[] args) {
            AsyncConnection db = AsyncConnection.open(args[0]).join();
            db.execute("CREATE TABLE t(x)").join();
            db.execute("INSERT INTO t VALUES (1)").join();
            System.out.println("rows=" + db.fetchOne("SELECT count(*) FROM t").join().getLong(0));
        }
    }

    private static boolean awaitDeath(Thread t) {
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return t.isAlive();
    }
}
