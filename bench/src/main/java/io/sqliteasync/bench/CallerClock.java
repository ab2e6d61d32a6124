package io.sqliteasync.bench;

/** The CPU clock of whatever drives the benchmark loop: a platform thread, or the carriers of a virtual thread. */
interface CallerClock {
    /** User+system CPU so far, in nanoseconds. */
    long cpu();

    /** User CPU so far, in nanoseconds. */
    long user();

    /** The clock of one live platform thread. */
    static CallerClock of(Thread t) {
        return new CallerClock() {
            @Override
            public long cpu() {
                return Cpu.thread(t);
            }

            @Override
            public long user() {
                return Cpu.threadUser(t);
            }
        };
    }

    /** The summed clock of the virtual-thread carriers. */
    static CallerClock carriers() {
        return new CallerClock() {
            @Override
            public long cpu() {
                return Cpu.carriers(false);
            }

            @Override
            public long user() {
                return Cpu.carriers(true);
            }
        };
    }
}
