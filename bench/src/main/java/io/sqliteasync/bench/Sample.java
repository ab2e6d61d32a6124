package io.sqliteasync.bench;

/**
 * One measured run of the workload. Times are nanoseconds between the start mark (connection open) and the end
 * mark (connection still open).
 *
 * @param wall {@code System.nanoTime()} difference
 * @param cpuTotal process CPU, user+system, all threads
 * @param cpuCaller CPU (user+system) of the thread that drives the loop; see {@link CallerClock}
 * @param cpuCallerUser user CPU of that thread, the original's {@code CpuEvtLoop} definition
 * @param cpuWorker the connection worker thread's own CPU (user+system); 0 when there is none
 * @param finalCount the last COUNT result, checked to be the same for every library
 */
record Sample(long wall, long cpuTotal, long cpuCaller, long cpuCallerUser, long cpuWorker, long finalCount) {
}
