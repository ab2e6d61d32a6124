package io.sqliteasync.internal.worker;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * How long one waiter (a connection's worker thread waiting for a command, or a caller thread joining a future)
 * spins before it parks, learned from how long its recent waits actually took, whether they ended inside the spin or
 * after a park.
 *
 * <p>The rule: a wait that took at most {@link #MAX_SPIN_NANOS} would have been caught by a spin of that length, so
 * the limit becomes at least twice that wait (at least {@link #MIN_SPIN_NANOS}); a longer wait means spinning would
 * not have helped, and halves the limit, down to zero, where the waiter parks at once. Waits that parked count too,
 * measured from the start of the wait to the wake-up: this is what lets a waiter that parks recover as soon as its
 * waits become short again, whereas a budget that learned only from spins that succeeded would stay at zero once
 * both sides of a connection had fallen back to parking, each waking the other too late for any short probe to
 * succeed.
 *
 * <p>On a quiet machine back-to-back hand-offs take a few microseconds, both sides keep spinning and a round trip is
 * a cache-line transfer. An idle waiter's limit falls to zero after a few long waits, so an idle connection uses no
 * CPU. On a busy machine (more runnable threads than cores) a spinning waiter only takes CPU from the thread it
 * waits for: two spin rounds within {@link #LONG_ROUND_WINDOW_NANOS} that took far longer than their few polls
 * (their yields gave the core to another thread) mark the machine as contended, and the waiter then parks at once
 * for a quiet period (from {@link #QUIET_NANOS}, doubling while contention persists) before it tries spinning
 * again, so each wait degrades toward a single park/unpark.
 *
 * <p>A spin is rounds of {@link #ROUND} {@link Thread#onSpinWait()} polls, each round followed by one clock read
 * and one {@link Thread#yield()}, so that a waiter sharing its core with the other side lets it run. Not
 * thread-safe: each instance belongs to one thread, which is the only one to call it.
 */
final class SpinBudget {
    /**
     * Spin-wait polls per round; the clock is read once per round. Short, so that the yield comes often: when the
     * other side shares this core (more runnable threads than cores), it runs after at most a few polls instead of
     * after a whole round. Measured with bench RoundTrip on a loaded 2-core machine: 64 gave a {@code SELECT 1} p50
     * of about 4.5 us (1.35x a naive blocking-queue worker), 16 about 2.75 us, 4 about 2.4 us (0.72x), 1 worse
     * again.
     */
    static final int ROUND = 4;
    /** The longest spin, and the longest wait that a spin is taken to have been able to catch. */
    static final long MAX_SPIN_NANOS = 50_000;
    /** The shortest spin limit other than zero: below it a spin costs about what it could save. */
    static final long MIN_SPIN_NANOS = 2_000;
    /**
     * A spin round (a few polls and a yield, normally well under a microsecond) that took this long means the yield
     * gave the core away for a time slice: another runnable thread was waiting for it, so there are more runnable
     * threads than cores, and spinning only takes CPU from the thread this waiter is waiting for. Linux gives a
     * thread that takes the core after a yield a slice of at least 0.75 ms; shorter gaps (interrupts, the
     * hypervisor, a safepoint) are not taken for contention.
     */
    static final long CONTENDED_ROUND_NANOS = 250_000;
    /** Two descheduled rounds this close together mean contention; a lone one is taken for a pause. */
    static final long LONG_ROUND_WINDOW_NANOS = 10_000_000;
    /**
     * After a contended round the waiter parks at once for this long before it may spin again; when contention is
     * seen again within one such period after the last one ended, the period doubles, up to {@link #MAX_QUIET_NANOS}.
     * Sustained load (CPU hogs) thus costs one descheduled spin round every few seconds, while a stray long round on
     * a quiet machine (an interrupt storm, the hypervisor, a collection) stops spinning only briefly.
     */
    static final long QUIET_NANOS = 100_000_000;
    /** The longest quiet period. */
    static final long MAX_QUIET_NANOS = 3_200_000_000L;

    /** {@code Thread.isVirtual()} (JDK 21 and newer), or {@code null} on a JDK without virtual threads. */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    /** Whether this waiter never spins: a virtual thread, whose spin would hold its carrier. */
    private final boolean never;
    private long limit;
    private boolean quiet;
    private long quietUntil;
    /** Whether contention was ever seen, and the current quiet period. */
    private boolean contendedBefore;
    private long quietNanos = QUIET_NANOS;
    /** Whether a descheduled round was ever seen, and when the last one ended. */
    private boolean longRoundSeen;
    private long lastLongRound;
    /** The start of the wait in progress, for {@link #parkedWaitEnded(long)}. */
    private long waitStart;

    /** A waiter that spins, starting with the whole cap. */
    SpinBudget() {
        this(false);
    }

    private SpinBudget(boolean never) {
        this.never = never;
        this.limit = never ? 0 : MAX_SPIN_NANOS;
    }

    /**
     * The budget for a thread that joins futures. A virtual thread never spins: its spin would hold a carrier thread
     * (and its {@code Thread.yield()} goes through the virtual-thread scheduler, not the operating system), while
     * parking it only unmounts it, leaving the carrier free for other virtual threads.
     *
     * @param t the joining thread
     * @return its budget
     */
    static SpinBudget forJoiner(Thread t) {
        return new SpinBudget(isVirtual(t));
    }

    static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            // JDK 17 to 20: no virtual threads.
            return null;
        }
    }

    /**
     * What a waiter polls while it spins.
     *
     * @param <S> what it polls
     * @param <T> what it waits for
     */
    @FunctionalInterface
    interface Poll<S, T> {
        /**
         * Polls once.
         *
         * @param source what is polled
         * @return what was waited for, or {@code null} while it is not there
         */
        T poll(S source);
    }

    /**
     * Starts a wait: spins up to the limit, polling {@code poll} a few times per round, with a clock read and a
     * {@link Thread#yield()} between rounds (a waiter sharing its core with the other side lets it run).
     *
     * @param source what is polled
     * @param poll a non-capturing poll, so that no object is made per wait
     * @param <S> what is polled
     * @param <T> what is waited for
     * @return what was waited for (the budget has learned from the wait), or {@code null} when the spin ended without
     *     it: the caller then parks until it is there and reports the end with {@link #parkedWaitEnded(long)}
     */
    <S, T> T spin(S source, Poll<S, T> poll) {
        long start = System.nanoTime();
        waitStart = start;
        if (limitNanos(start) == 0) {
            return null;
        }
        long roundStart = start;
        for (;;) {
            for (int i = 0; i < ROUND; i++) {
                Thread.onSpinWait();
                T value = poll.poll(source);
                if (value != null) {
                    observe(start, System.nanoTime());
                    return value;
                }
            }
            long now = System.nanoTime();
            if (!keepSpinning(start, roundStart, now)) {
                return null;
            }
            roundStart = now;
            Thread.yield();
        }
    }

    /**
     * Learns from a wait that parked after {@link #spin} returned {@code null}.
     *
     * @param now the clock when the waiter woke with what it waited for
     */
    void parkedWaitEnded(long now) {
        observe(waitStart, now);
    }

    /**
     * How long a wait starting now may spin.
     *
     * @param now the clock ({@link System#nanoTime()}) at the start of the wait
     * @return nanoseconds, 0 to park at once
     */
    long limitNanos(long now) {
        if (quiet) {
            if (now - quietUntil < 0) {
                return 0;
            }
            quiet = false;
        }
        return limit;
    }

    /**
     * Learns from one wait that has ended.
     *
     * @param start the clock at the start of the wait, before any spin
     * @param end the clock when the waiter had what it waited for, parked time included
     */
    void observe(long start, long end) {
        if (never) {
            return;
        }
        long waited = end - start;
        if (waited <= MAX_SPIN_NANOS) {
            if (!quiet) {
                long wanted = Math.max(MIN_SPIN_NANOS, 2 * waited);
                limit = Math.min(MAX_SPIN_NANOS, Math.max(limit, wanted));
            }
        } else {
            limit >>= 1;
            if (limit < MIN_SPIN_NANOS) {
                limit = 0;
            }
        }
    }

    /**
     * Learns from one spin round, and says whether the spin should go on.
     *
     * @param start the clock at the start of the wait
     * @param roundStart the clock at the start of the round (the end of the previous one)
     * @param now the clock after the round's polls, before its yield
     * @return {@code false} to stop spinning and park: the spin limit is reached, or this round was descheduled
     *     shortly after another
     */
    boolean keepSpinning(long start, long roundStart, long now) {
        if (now - roundStart >= CONTENDED_ROUND_NANOS) {
            // One long round may be a pause that stopped every thread (a collection, the hypervisor), and those
            // are far apart; yields that give the core away again and again are other threads wanting it.
            if (longRoundSeen && now - lastLongRound < LONG_ROUND_WINDOW_NANOS) {
                contended(now);
                return false;
            }
            longRoundSeen = true;
            lastLongRound = now;
        }
        return now - start < limit;
    }

    private void contended(long now) {
        if (contendedBefore && now - quietUntil < quietNanos) {
            quietNanos = Math.min(MAX_QUIET_NANOS, quietNanos * 2);
        } else {
            quietNanos = QUIET_NANOS;
        }
        contendedBefore = true;
        limit = 0;
        quiet = true;
        quietUntil = now + quietNanos;
    }

    /**
     * The current quiet period, for tests and diagnostics.
     *
     * @return nanoseconds
     */
    long quietNanos() {
        return quietNanos;
    }
}
