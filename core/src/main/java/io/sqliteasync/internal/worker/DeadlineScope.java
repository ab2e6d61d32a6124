package io.sqliteasync.internal.worker;

/**
 * The thread-local deadline behind {@code Deadline}: an absolute {@link System#nanoTime()} value, captured into each
 * call at submission and installed on the worker thread while that call runs.
 */
public final class DeadlineScope {
    private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();

    private DeadlineScope() {
    }

    /**
     * The current deadline on this thread.
     *
     * @return the absolute nanoTime deadline, or 0 when there is none
     */
    public static long current() {
        long[] d = CURRENT.get();
        if (d == null) {
            return 0L;
        }
        return d[0] == 0 ? 1 : d[0];
    }

    /**
     * Enters a scope ending {@code nanos} from now, or earlier if an enclosing scope ends earlier.
     *
     * @param nanos the scope's length
     * @return what {@link #restore} must put back
     */
    public static long[] enter(long nanos) {
        long[] previous = CURRENT.get();
        long at = System.nanoTime() + nanos;
        if (previous != null && previous[0] - at < 0) {
            at = previous[0];
        }
        CURRENT.set(new long[] {at});
        return previous;
    }

    /** Returned by {@link #install} when nothing changed, so the common no-deadline call skips the restore. */
    private static final long[] UNCHANGED = new long[0];

    static long[] install(long deadlineNanos) {
        long[] previous = CURRENT.get();
        if (deadlineNanos == 0) {
            if (previous == null) {
                return UNCHANGED;
            }
            CURRENT.remove();
        } else {
            CURRENT.set(new long[] {deadlineNanos});
        }
        return previous;
    }

    /**
     * Leaves a scope.
     *
     * @param previous what {@link #enter} returned
     */
    public static void restore(long[] previous) {
        if (previous == UNCHANGED) {
            return;
        }
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
