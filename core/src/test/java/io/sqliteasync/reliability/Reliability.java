package io.sqliteasync.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Shared support of the reliability suite: sizes (small in the normal build, full with {@code -Dreliability.full=true},
 * which the {@code reliability-full} Maven profile sets), seeds ({@code -Dreliability.seed=N} reproduces a run),
 * bounded waits, and the thread and file-descriptor counts the checks compare with a baseline.
 */
final class Reliability {
    /** Full size when {@code -Dreliability.full=true}; small size otherwise. */
    static final boolean FULL = Boolean.getBoolean("reliability.full");

    /**
     * The bound on every wait of the suite. It only turns a hang into a failure: no assertion depends on how long
     * anything took, so it is far above any expected duration on a loaded machine.
     */
    static final long HANG_SECONDS = 60;

    /**
     * The worker-thread prefix of the library. {@code sqlite-async-deadlines} is the library's one shared, JVM-wide
     * deadline timer (created on first use, never stopped by design), so it is not a per-connection thread and is left
     * out of the comparisons.
     */
    static final String THREAD_PREFIX = "sqlite-async-";
    static final String SHARED_TIMER = "sqlite-async-deadlines";

    private Reliability() {
    }

    static int size(int small, int full) {
        return FULL ? full : small;
    }

    /**
     * The seed of one check: {@code -Dreliability.seed=N} when given, a fresh random one otherwise. It is printed so
     * that any run can be repeated; checks also put it into their failure messages.
     */
    static long seed(String check) {
        String given = System.getProperty("reliability.seed");
        long seed = given != null && !given.isBlank() ? Long.parseLong(given.trim()) : System.nanoTime() ^ 0x5DEECE66DL;
        System.out.println("[reliability] " + check + " " + (FULL ? "FULL" : "small") + " seed=" + seed
                + "  (repeat with -Dreliability.seed=" + seed + ")");
        System.out.flush();
        return seed;
    }

    static void report(String check, String line) {
        System.out.println("[reliability] " + check + ": " + line);
        System.out.flush();
    }

    /** Waits at most {@link #HANG_SECONDS} for a future and returns its value; a hang becomes an AssertionError. */
    static <T> T await(Future<T> f, String what) {
        return await(f, HANG_SECONDS, what);
    }

    static <T> T await(Future<T> f, long seconds, String what) {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("hang: " + what + " did not finish within " + seconds + " s");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new CompletionException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }

    /** How a finished future ended: its failure (unwrapped), or {@code null} when it succeeded. */
    static Throwable outcome(CompletableFuture<?> f) {
        if (!f.isDone()) {
            throw new IllegalStateException("not done");
        }
        try {
            f.join();
            return null;
        } catch (CancellationException e) {
            return e;
        } catch (CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }

    /** Waits (bounded) until {@code f} is done, whatever its outcome, and returns it. */
    static <T> CompletableFuture<T> finishedOrFail(CompletableFuture<T> f) {
        try {
            f.get(HANG_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("hang: a future did not finish within " + HANG_SECONDS + " s");
        } catch (ExecutionException | CancellationException e) {
            // done, with a failure: the caller looks at it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return f;
    }

    /** Runs {@code r} on a fresh daemon thread and waits for it at most {@code seconds}; false when it hung. */
    static boolean finishesWithin(Runnable r, long seconds, String name) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                r.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "reliability-" + name);
        t.setDaemon(true);
        t.start();
        try {
            done.get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError(name + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The live per-connection threads of the library (see {@link #SHARED_TIMER}). */
    static Set<Thread> workerThreads() {
        Set<Thread> out = new java.util.HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith(THREAD_PREFIX) && !t.getName().equals(SHARED_TIMER)) {
                out.add(t);
            }
        }
        return out;
    }

    static Set<String> names(Set<Thread> threads) {
        Set<String> out = new TreeSet<>();
        threads.forEach(t -> out.add(t.getName()));
        return out;
    }

    /**
     * The library threads alive now that were not alive in {@code baseline}. A closed connection's worker ends right
     * after it completes the close future, so each new thread is given a bounded {@code join} first: this waits on the
     * thread's termination (a condition), not for a fixed time.
     */
    static Set<String> newWorkerThreads(Set<Thread> baseline) {
        Set<String> leaked = new TreeSet<>();
        for (Thread t : workerThreads()) {
            if (baseline.contains(t)) {
                continue;
            }
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                leaked.add(t.getName());
            }
        }
        return leaked;
    }

    /** Whether this platform exposes the open file descriptors as {@code /proc/self/fd} (Linux does). */
    static boolean canCountFds() {
        return Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /**
     * The open file descriptors of this JVM, or -1 where {@code /proc/self/fd} does not exist (not Linux): there the
     * descriptor comparison cannot be made and the checks say so in their output instead of passing it silently. The
     * directory stream used to count is itself one descriptor; it is there in every count, so differences are exact.
     */
    static int openFds() {
        if (!canCountFds()) {
            return -1;
        }
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
    }

    /**
     * The descriptor count once it is back at {@code baseline}, or the last count after 10 s. Other threads of the JVM
     * (the test runner's reporting, class loading, the JIT) can hold a descriptor for a moment while this thread
     * counts, which once showed as a +1 with no new target; a leaked descriptor never goes away, so waiting for the
     * condition (bounded) keeps the comparison exact without a slack.
     */
    static int fdsSettledTo(int baseline, int seconds) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int n = openFds();
        while (n > baseline && System.nanoTime() < end) {
            try {
                Thread.sleep(50);   // polling a condition that has no notification (the kernel's descriptor table)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            n = openFds();
        }
        return n;
    }

    /** Lists the descriptors (with their targets) for a failure message. */
    static List<String> fdTargets() {
        List<String> out = new ArrayList<>();
        if (!canCountFds()) {
            return out;
        }
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            s.forEach(p -> {
                try {
                    out.add(p.getFileName() + " -> " + Files.readSymbolicLink(p));
                } catch (IOException e) {
                    out.add(p.getFileName() + " -> ?");
                }
            });
        } catch (IOException e) {
            out.add("cannot list: " + e);
        }
        return out;
    }

    /** The descriptors that point into {@code dir} (database, WAL, shared-memory and journal files of a check). */
    static List<String> fdsUnder(Path dir) {
        List<String> out = new ArrayList<>();
        String prefix = dir.toAbsolutePath().toString();
        for (String fd : fdTargets()) {
            if (fd.contains(prefix)) {
                out.add(fd);
            }
        }
        return out;
    }

    /** A child JVM running {@code main} of {@code mainClass} on the test class path, stderr to {@code log}. */
    static Process startChild(Class<?> mainClass, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    }
}
