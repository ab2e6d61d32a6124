package io.sqliteasync.internal.worker;

import io.sqliteasync.ConnectionOptions;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Drains open connections when the JVM exits. Worker threads are daemons, so without this a command queued but not
 * yet run when {@code main} returns (or {@code System.exit} is called) would be dropped with the thread. One shutdown
 * hook, registered when the first connection is tracked, closes everything still tracked (close lets queued commands
 * run first) and waits for each up to its own limit, so the exit waits at most the longest limit. See
 * {@link ConnectionOptions#shutdownDrainTimeout()}.
 *
 * <p>Tracking is strong, and an entry leaves the set when its connection closes: a live worker thread keeps its
 * worker reachable anyway, so a weak reference would never be cleared before close removes the entry.
 */
public final class ShutdownDrain {
    private static final System.Logger LOG = System.getLogger(ShutdownDrain.class.getName());
    /** Added to by any thread that opens a connection, removed from as they close; read by the hook. */
    private static final Set<Entry> ENTRIES = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private ShutdownDrain() {
    }

    /**
     * Tracks something to close and wait for at JVM exit; registers the shutdown hook on first use. Any thread.
     *
     * @param name what to name in the log, such as the worker thread's name
     * @param limit the longest wait for it at exit; {@link Duration#ZERO} to leave it alone
     * @param close starts closing (lets queued work finish) and returns a stage that completes once closed; called
     *     on the hook's thread
     * @return the entry, to {@link Entry#untrack()} once closed by other means
     */
    public static Entry track(String name, Duration limit, Supplier<? extends CompletionStage<?>> close) {
        Entry e = new Entry(name, limit, close);
        ENTRIES.add(e);
        if (!HOOKED.get() && HOOKED.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(ShutdownDrain::drain, "sqlite-async-shutdown-drain"));
            } catch (IllegalStateException alreadyExiting) {
                // Opened while the JVM is already exiting: the running hooks will not see it, nothing can wait.
            }
        }
        return e;
    }

    /** The shutdown hook: closes every tracked entry, then waits for each within its limit and logs the outcome. */
    static void drain() {
        Duration override = propertyLimit();
        long start = System.nanoTime();
        List<Entry> started = new ArrayList<>();
        List<CompletableFuture<?>> done = new ArrayList<>();
        List<Long> deadlines = new ArrayList<>();
        for (Entry e : new ArrayList<>(ENTRIES)) {
            Duration limit = override != null ? override : e.limit;
            if (limit.isZero()) {
                continue;
            }
            try {
                done.add(e.close.get().toCompletableFuture());
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "sqlite-async: closing " + e.name + " at exit failed", ex);
                continue;
            }
            started.add(e);
            deadlines.add(start + limit.toNanos());
        }
        boolean waited = false;
        List<String> gaveUp = new ArrayList<>();
        for (int i = 0; i < started.size(); i++) {
            CompletableFuture<?> f = done.get(i);
            if (f.isDone()) {
                continue;
            }
            waited = true;
            try {
                f.get(Math.max(0, deadlines.get(i) - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                gaveUp.add(started.get(i).name + " (limit " + (override != null ? override : started.get(i).limit)
                        + ")");
            } catch (ExecutionException e) {
                LOG.log(Level.WARNING, "sqlite-async: closing " + started.get(i).name + " at exit failed",
                        e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                gaveUp.add(started.get(i).name + " (interrupted)");
                break;
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (!gaveUp.isEmpty()) {
            LOG.log(Level.WARNING, "sqlite-async: gave up draining at JVM exit after " + millis + " ms; still running"
                    + " and left behind (their queued commands are lost, an open transaction is rolled back by"
                    + " SQLite): " + String.join(", ", gaveUp));
        } else if (waited) {
            LOG.log(Level.INFO, "sqlite-async: waited " + millis + " ms at JVM exit for " + started.size()
                    + " open connection(s) to run their queued commands and close");
        }
    }

    /** The system property's limit, or {@code null} when it is unset or unreadable (then logged). */
    static Duration propertyLimit() {
        String value = System.getProperty(ConnectionOptions.SHUTDOWN_DRAIN_TIMEOUT_PROPERTY);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Duration d = value.trim().matches("\\d+")
                    ? Duration.ofMillis(Long.parseLong(value.trim()))
                    : Duration.parse(value.trim());
            if (!d.isNegative()) {
                return d;
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // Reported below with the accepted forms.
        }
        LOG.log(Level.WARNING, "sqlite-async: ignoring " + ConnectionOptions.SHUTDOWN_DRAIN_TIMEOUT_PROPERTY + "="
                + value + ": expected milliseconds or an ISO-8601 duration such as PT5S");
        return null;
    }

    /** One tracked connection or database. */
    public static final class Entry {
        private final String name;
        private final Duration limit;
        private final Supplier<? extends CompletionStage<?>> close;

        private Entry(String name, Duration limit, Supplier<? extends CompletionStage<?>> close) {
            this.name = name;
            this.limit = limit;
            this.close = close;
        }

        /** Stops tracking: it closed, or something else drains it. Any thread; idempotent. */
        public void untrack() {
            ENTRIES.remove(this);
        }
    }
}
