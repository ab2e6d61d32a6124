package io.sqliteasync.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** CPU clocks: the whole process, one platform thread, and the virtual-thread carrier threads. */
final class Cpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final String CARRIER_CLASS = "jdk.internal.misc.CarrierThread";

    static {
        THREADS.setThreadCpuTimeEnabled(true);
    }

    private Cpu() {
    }

    /** User+system CPU of every thread of the process (JIT and GC included), in nanoseconds. */
    static long process() {
        return OS.getProcessCpuTime();
    }

    /** User+system CPU of a live platform thread, in nanoseconds. */
    static long thread(Thread t) {
        return THREADS.getThreadCpuTime(t.threadId());
    }

    /** User CPU of a live platform thread, in nanoseconds. */
    static long threadUser(Thread t) {
        return THREADS.getThreadUserTime(t.threadId());
    }

    /**
     * User+system (or user only) CPU summed over the carrier threads of the default virtual-thread scheduler. The
     * JVM cannot report a virtual thread's own CPU ({@code getThreadCpuTime} returns -1 for it), so while a single
     * virtual thread is the only one running, the carriers' CPU difference is the best available measure of it. It
     * also contains the carriers' own scheduling work (spinning for work, parking), which is a real cost of that
     * caller style.
     */
    static long carriers(boolean userOnly) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getClass().getName().equals(CARRIER_CLASS)) {
                long v = userOnly ? threadUser(t) : thread(t);
                if (v > 0) {
                    sum += v;
                }
            }
        }
        return sum;
    }

    /** Total physical memory in bytes. */
    static long totalMemory() {
        return OS.getTotalMemorySize();
    }
}
