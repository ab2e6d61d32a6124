package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle connection uses no CPU: once the calls stop, its worker thread stops spinning and parks. Shown by the
 * thread's state (parked threads are WAITING), not by timing; the 60 s bound only catches a worker that never parks.
 */
class IdleWorkerParksIT {
    @TempDir
    Path dir;

    @Test
    void theWorkerOfAnIdleConnectionParksAfterABurstOfCalls() {
        String name = "idle-worker-parks-" + System.identityHashCode(this);
        ConnectionOptions options = ConnectionOptions.builder(dir.resolve("idle.db").toString())
                .workerThreadName(name).build();
        try (AsyncConnection c = AsyncConnection.open(options).join()) {
            c.execute("CREATE TABLE t(x)").join();
            for (long i = 0; i < 2_000; i++) {
                c.execute("INSERT INTO t VALUES (?)", i).join();
            }
            assertThat(c.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isEqualTo(2_000);
            Thread worker = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
            assertThat(waitUntilParked(worker)).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
            assertThat(worker.isAlive()).isTrue();
        }
    }

    private static Thread.State waitUntilParked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Thread.State s = t.getState();
        while (s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            s = t.getState();
        }
        return s;
    }
}
