package io.sqliteasync;

import java.time.Duration;
import io.sqliteasync.internal.worker.DeadlineScope;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * A scoped deadline for every call made inside it. The deadline is captured when a call is made (on the calling
 * thread, inside the scope) and covers the call's time in the queue, its execution in SQLite and any async callback
 * it waits for; when it passes, the call's future fails with {@link SqliteTimeoutException} and SQLite is stopped.
 * Calls that the command itself makes on the worker thread (from callbacks) inherit it.
 *
 * <pre>{@code
 * List<Row> rows = Deadline.within(Duration.ofMillis(200), () -> db.fetchAll("SELECT ...")).join();
 * }</pre>
 *
 * <p>Scopes nest; the earliest deadline wins. A future's own {@code orTimeout(...)} or {@code cancel(...)} also stops
 * a running command, since the worker checks whether the future is still wanted.
 */
public final class Deadline {
    /** The longest scope: far beyond any real call, yet safe to add to {@link System#nanoTime()}. */
    private static final long LONGEST_NANOS = Long.MAX_VALUE / 4;
    private static final Duration LONGEST = Duration.ofNanos(LONGEST_NANOS);

    private Deadline() {
    }

    /**
     * Runs {@code body} with a deadline {@code timeout} from now for every call it makes on this thread.
     *
     * @param timeout how long the calls may take, from now
     * @param body the code making the calls; typically returns their future
     * @param <T> what the body returns
     * @return what the body returned
     */
    public static <T> T within(Duration timeout, Supplier<T> body) {
        Objects.requireNonNull(body, "body");
        long[] previous = enter(timeout);
        try {
            return body.get();
        } finally {
            exit(previous);
        }
    }

    /**
     * Runs {@code body} with a deadline {@code timeout} from now for every call it makes on this thread.
     *
     * @param timeout how long the calls may take, from now
     * @param body the code making the calls
     */
    public static void within(Duration timeout, Runnable body) {
        Objects.requireNonNull(body, "body");
        within(timeout, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs {@code body}, which may throw, with a deadline {@code timeout} from now.
     *
     * @param timeout how long the calls may take, from now
     * @param body the code making the calls
     * @param <T> what the body returns
     * @return what the body returned
     * @throws Exception what the body threw
     */
    public static <T> T call(Duration timeout, Callable<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        long[] previous = enter(timeout);
        try {
            return body.call();
        } finally {
            exit(previous);
        }
    }

    /**
     * The time left in the current scope on this thread.
     *
     * @return the remaining time (negative once passed), or {@code null} outside any scope
     */
    public static Duration remaining() {
        long d = DeadlineScope.current();
        return d == 0 ? null : Duration.ofNanos(d - System.nanoTime());
    }

    private static long[] enter(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        // Clamp before converting: toNanos() overflows past ~292 years, which is how callers often say "forever".
        long nanos = timeout.isNegative() ? 0
                : timeout.compareTo(LONGEST) >= 0 ? LONGEST_NANOS : timeout.toNanos();
        return DeadlineScope.enter(nanos);
    }

    private static void exit(long[] previous) {
        DeadlineScope.restore(previous);
    }
}
