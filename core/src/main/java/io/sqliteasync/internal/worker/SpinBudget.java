package io.sqliteasync.internal.worker;

/**
 * How long one waiter (a connection's worker thread, or a caller thread joining a future) spins before it parks,
 * learned from how its recent spins ended. A spin that saw the hand-off doubles the budget (up to
 * {@link #MAX_ROUNDS}); a spin that ran out and had to park halves it, down to zero, where the waiter parks at once
 * and only every {@link #PROBE_EVERY}th wait tries one short round to learn whether spinning pays again. On a quiet
 * machine hand-offs land inside the spin and the budget stays high; on a busy machine (more runnable threads than
 * cores, so the other side is often descheduled) or when the other side is slow, the spins fail and each wait
 * degrades toward a single park/unpark, using no CPU while it waits.
 *
 * <p>A round is {@link #ROUND} {@link Thread#onSpinWait()} calls followed by one {@link Thread#yield()}; the clock is
 * read once per round only, to cap a spin at {@link #MAX_SPIN_NANOS} whatever the processor's pause instruction
 * costs. Not thread-safe: each instance belongs to one thread, which is the only one to call it.
 */
final class SpinBudget {
    /**
     * Spin-wait hints per round; the clock is read once per round. Short, so that the yield comes often: when the
     * other side shares this core (more runnable threads than cores), it runs after at most a few polls instead of
     * after a whole round. Measured with bench RoundTrip on a loaded 2-core machine: 64 gave a {@code SELECT 1} p50
     * of about 4.5 us (1.35x a naive blocking-queue worker), 16 about 2.75 us, 4 about 2.4 us (0.72x), 1 worse
     * again.
     */
    static final int ROUND = 4;
    /** The most rounds one wait may spin. */
    static final int MAX_ROUNDS = 256;
    /** The cap on one spin, however fast the rounds run. */
    static final long MAX_SPIN_NANOS = 50_000;
    /** With a budget of zero, one wait in this many still spins one round, to notice when spinning pays again. */
    static final int PROBE_EVERY = 16;

    private int rounds = MAX_ROUNDS;
    private int probe;

    /**
     * How many rounds the next wait may spin.
     *
     * @return the number of rounds, possibly 0 (park at once)
     */
    int rounds() {
        if (rounds > 0) {
            return rounds;
        }
        if (++probe >= PROBE_EVERY) {
            probe = 0;
            return 1;
        }
        return 0;
    }

    /** The wait ended inside its spin. */
    void succeeded() {
        rounds = Math.min(MAX_ROUNDS, rounds * 2 + 1);
    }

    /** The wait ran out of spin and parked (or is about to). */
    void failed() {
        rounds >>= 1;
    }

    /**
     * The current budget, for tests and diagnostics.
     *
     * @return rounds the next non-probing wait may spin
     */
    int budget() {
        return rounds;
    }
}
