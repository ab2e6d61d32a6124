package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A thread waiting in the blocking view is interrupted while its command is queued, or while it runs. */
class BlockingInterruptIT {
    @TempDir
    Path dir;
    AsyncConnection db;

    @BeforeEach
    void open() {
        db = AsyncConnection.open(dir.resolve("i.db").toString()).join();
        db.execute("CREATE TABLE t(x)").join();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static void awaitWaiting(Thread t) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime() - end).as("thread never started waiting").isNegative();
            Thread.onSpinWait();
        }
    }

    private Thread blockingCaller(Runnable call, AtomicReference<Throwable> thrown, AtomicBoolean flagAfter,
            CountDownLatch done) {
        Thread t = new Thread(() -> {
            try {
                call.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
            done.countDown();
        });
        t.start();
        return t;
    }

    @Test
    void interruptedWhileQueuedTheCommandNeverRuns() throws Exception {
        CountDownLatch inBlocker = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = db.run(c -> {
            inBlocker.countDown();
            release.await();
            return null;
        });
        assertThat(inBlocker.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = blockingCaller(() -> db.blocking().execute("INSERT INTO t VALUES (1)"), thrown, flag, done);
        awaitWaiting(t);
        t.interrupt();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        blocker.join();
        assertThat(thrown.get()).isInstanceOf(SqliteException.class);
        assertThat(((SqliteException) thrown.get()).resultCode()).isEqualTo(SqliteException.SQLITE_INTERRUPT);
        assertThat(flag.get()).as("interrupt flag set again").isTrue();
        assertThat(db.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isZero();
    }

    @Test
    void interruptedWhileRunningTheStatementIsStopped() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        db.createFunction("started", 0, args -> {
            started.countDown();
            return 1;
        }).join();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = blockingCaller(() -> db.blocking().fetchOne(CancellationIT.ENDLESS_ANNOUNCED), thrown, flag, done);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        awaitWaiting(t);
        t.interrupt();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(thrown.get()).isInstanceOf(SqliteException.class);
        assertThat(flag.get()).isTrue();
        // The worker stopped the statement: the next call does not wait for a billion-row count.
        assertThat(Deadline.within(Duration.ofSeconds(5), () -> db.run(c -> 7)).join()).isEqualTo(7);
    }
}
