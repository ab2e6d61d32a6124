package io.sqliteasync.internal.worker;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon timer thread, {@code sqlite-async-deadlines}, shared by all connections: it fails a call whose deadline
 * passes while the call is still queued or running, so the caller does not wait for the worker to reach it. The
 * running statement then sees its future done and is stopped by the progress handler.
 */
final class Deadlines {
    private static final ScheduledThreadPoolExecutor TIMER = createTimer();

    private Deadlines() {
    }

    private static ScheduledThreadPoolExecutor createTimer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "sqlite-async-deadlines");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    static void schedule(ConnectionWorker worker, Command.Call<?> call) {
        long delay = call.deadline() - System.nanoTime();
        ScheduledFuture<?> task = TIMER.schedule(() -> worker.expire(call), Math.max(0, delay), TimeUnit.NANOSECONDS);
        call.future().whenComplete((r, t) -> task.cancel(false));
    }
}
