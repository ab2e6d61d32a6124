package io.sqliteasync.bench;

/**
 * Start and end marks of one run. Create it right after the connection is open, call {@link #stop} before it is
 * closed. The clocks are read in the order wall, process, caller, worker at the start and the reverse at the end, so
 * the wall interval encloses the CPU intervals.
 */
final class Meter {
    private final CallerClock caller;
    private final Thread worker;
    private final long wall;
    private final long process;
    private final long callerCpu;
    private final long callerUser;
    private final long workerCpu;

    /**
     * Takes the start mark.
     *
     * @param caller the clock of the driving thread
     * @param worker the connection's worker thread, or {@code null} for a synchronous run
     */
    Meter(CallerClock caller, Thread worker) {
        this.caller = caller;
        this.worker = worker;
        this.workerCpu = worker == null ? 0 : Cpu.thread(worker);
        this.callerUser = caller.user();
        this.callerCpu = caller.cpu();
        this.process = Cpu.process();
        this.wall = System.nanoTime();
    }

    /** Takes the end mark. */
    Sample stop(long finalCount) {
        long w = System.nanoTime();
        long p = Cpu.process();
        long c = caller.cpu();
        long u = caller.user();
        long k = worker == null ? 0 : Cpu.thread(worker) - workerCpu;
        return new Sample(w - wall, p - process, c - callerCpu, u - callerUser, k, finalCount);
    }
}
