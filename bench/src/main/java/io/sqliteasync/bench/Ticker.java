package io.sqliteasync.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * A virtual thread that wakes every 5 ms and records when each sleep really started and ended, so the lateness of
 * any tick that overlaps a time window can be read afterwards.
 */
final class Ticker {
    static final long PERIOD_NANOS = 5_000_000;
    private static final int MAX_TICKS = 100_000;

    /** Written by the ticker only; read after {@link #stop()} has joined it. */
    private final long[] starts = new long[MAX_TICKS];
    private final long[] ends = new long[MAX_TICKS];
    private int ticks;
    private volatile boolean running = true;
    private final Thread thread;

    Ticker() {
        thread = Thread.ofVirtual().name("bench-ticker").start(this::tick);
    }

    private void tick() {
        while (running && ticks < MAX_TICKS) {
            long t0 = System.nanoTime();
            LockSupport.parkNanos(PERIOD_NANOS);
            long t1 = System.nanoTime();
            starts[ticks] = t0;
            ends[ticks] = t1;
            ticks++;
        }
    }

    /** Stops the ticker and waits for it. */
    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    /** The worst lateness, in nanoseconds, of the ticks that overlap {@code [from, to]}. */
    long worstDelay(long from, long to) {
        long worst = 0;
        for (int i = 0; i < ticks; i++) {
            if (ends[i] >= from && starts[i] <= to) {
                worst = Math.max(worst, ends[i] - starts[i] - PERIOD_NANOS);
            }
        }
        return worst;
    }

    /** How many ticks overlap {@code [from, to]}. */
    int ticksWithin(long from, long to) {
        int n = 0;
        for (int i = 0; i < ticks; i++) {
            if (ends[i] >= from && starts[i] <= to) {
                n++;
            }
        }
        return n;
    }
}
