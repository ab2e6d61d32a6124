package io.sqliteasync;

import io.sqliteasync.codec.CodecRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Settings of one {@link AsyncConnection}. Immutable; build with {@link #builder(String)}.
 *
 * @param path a file path, {@code ":memory:"}, or a SQLite URI filename such as {@code file:app.db?mode=ro}
 * @param pragmas pragmas run in order right after the connection opens, as {@code PRAGMA name = value}
 * @param busyTimeout how long SQLite retries when another connection holds a lock ({@code busy_timeout})
 * @param prefetch how many rows a stream or cursor steps per round trip to the worker (at least 1)
 * @param statementCacheSize how many prepared statements the worker keeps for reuse, least recently used evicted
 *     first; {@code 0} disables the cache
 * @param workerThreadName the worker thread's name, or {@code null} for {@code sqlite-async-connection-<n>}
 * @param completionExecutor where futures complete and dependent stages run, or {@code null} to complete them on the
 *     worker thread (the fastest handoff; dependent stages must then not block)
 * @param readOnly open the database read-only ({@code SQLITE_OPEN_READONLY})
 * @param create create the database file when it does not exist ({@code SQLITE_OPEN_CREATE})
 * @param progressSteps how many SQLite virtual-machine steps run between checks for cancellation and deadlines
 *     (the progress handler); smaller stops sooner and costs more
 * @param callbackTimeout how long the worker waits for an async callback when the call has no deadline
 * @param codecs the codecs that bind parameters and decode column values; {@link CodecRegistry#defaults()} unless
 *     set (a {@code null} argument means the defaults)
 */
public record ConnectionOptions(
        String path,
        Map<String, String> pragmas,
        Duration busyTimeout,
        int prefetch,
        int statementCacheSize,
        String workerThreadName,
        Executor completionExecutor,
        boolean readOnly,
        boolean create,
        int progressSteps,
        Duration callbackTimeout,
        CodecRegistry codecs) {

    /** The default number of rows per fetch round trip. */
    public static final int DEFAULT_PREFETCH = 64;
    /** The default number of cached prepared statements. */
    public static final int DEFAULT_STATEMENT_CACHE_SIZE = 64;
    /** The default busy timeout. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);
    /** The default number of VM steps between cancellation checks. */
    public static final int DEFAULT_PROGRESS_STEPS = 10_000;
    /** The default bound on waiting for an async callback outside any deadline. */
    public static final Duration DEFAULT_CALLBACK_TIMEOUT = Duration.ofSeconds(30);

    // Validates and copies the arguments (documented by the record header).
    public ConnectionOptions {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path is empty: use \":memory:\" for an in-memory database");
        }
        pragmas = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(pragmas, "pragmas")));
        for (String name : pragmas.keySet()) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw new IllegalArgumentException("not a pragma name: " + name);
            }
        }
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busyTimeout out of range: " + busyTimeout);
        }
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
        }
        if (codecs == null) {
            codecs = CodecRegistry.defaults();
        }
        if (statementCacheSize < 0) {
            throw new IllegalArgumentException("statementCacheSize must not be negative, was " + statementCacheSize);
        }
        if (progressSteps < 1) {
            throw new IllegalArgumentException("progressSteps must be at least 1, was " + progressSteps);
        }
        Objects.requireNonNull(callbackTimeout, "callbackTimeout");
        if (callbackTimeout.isNegative() || callbackTimeout.isZero()) {
            throw new IllegalArgumentException("callbackTimeout must be positive, was " + callbackTimeout);
        }
    }

    /**
     * Options with every default for the given database.
     *
     * @param path a file path, {@code ":memory:"} or a {@code file:} URI
     * @return the options
     */
    public static ConnectionOptions of(String path) {
        return builder(path).build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @param path a file path, {@code ":memory:"} or a {@code file:} URI
     * @return a new builder
     */
    public static Builder builder(String path) {
        return new Builder(path);
    }

    /** Builds {@link ConnectionOptions}. Not thread-safe. */
    public static final class Builder {
        private String path;
        private final Map<String, String> pragmas = new LinkedHashMap<>();
        private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
        private int prefetch = DEFAULT_PREFETCH;
        private int statementCacheSize = DEFAULT_STATEMENT_CACHE_SIZE;
        private String workerThreadName;
        private Executor completionExecutor;
        private boolean readOnly;
        private boolean create = true;
        private int progressSteps = DEFAULT_PROGRESS_STEPS;
        private Duration callbackTimeout = DEFAULT_CALLBACK_TIMEOUT;
        private CodecRegistry codecs = CodecRegistry.defaults();

        private Builder(String path) {
            this.path = path;
        }

        /**
         * Sets the database.
         *
         * @param path a file path, {@code ":memory:"} or a {@code file:} URI
         * @return this builder
         */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /**
         * Adds a pragma run on open, after those added before it.
         *
         * @param name the pragma name, such as {@code foreign_keys}
         * @param value its value, such as {@code ON}
         * @return this builder
         */
        public Builder pragma(String name, String value) {
            pragmas.put(name, value);
            return this;
        }

        /**
         * Sets the busy timeout.
         *
         * @param busyTimeout how long SQLite waits for a lock held by another connection
         * @return this builder
         */
        public Builder busyTimeout(Duration busyTimeout) {
            this.busyTimeout = busyTimeout;
            return this;
        }

        /**
         * Sets the rows stepped per fetch round trip.
         *
         * @param prefetch at least 1
         * @return this builder
         */
        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /**
         * Sets the prepared-statement cache size.
         *
         * @param statementCacheSize {@code 0} disables the cache
         * @return this builder
         */
        public Builder statementCacheSize(int statementCacheSize) {
            this.statementCacheSize = statementCacheSize;
            return this;
        }

        /**
         * Names the worker thread.
         *
         * @param workerThreadName the name, or {@code null} for the default
         * @return this builder
         */
        public Builder workerThreadName(String workerThreadName) {
            this.workerThreadName = workerThreadName;
            return this;
        }

        /**
         * Moves future completion (and so dependent stages) to an executor.
         *
         * @param completionExecutor the executor, or {@code null} to complete on the worker thread
         * @return this builder
         */
        public Builder completionExecutor(Executor completionExecutor) {
            this.completionExecutor = completionExecutor;
            return this;
        }

        /**
         * Opens the database read-only.
         *
         * @param readOnly {@code true} for read-only
         * @return this builder
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Whether a missing database file is created.
         *
         * @param create {@code false} to fail when the file does not exist
         * @return this builder
         */
        public Builder create(boolean create) {
            this.create = create;
            return this;
        }

        /**
         * Sets how many SQLite VM steps run between cancellation and deadline checks.
         *
         * @param progressSteps at least 1
         * @return this builder
         */
        public Builder progressSteps(int progressSteps) {
            this.progressSteps = progressSteps;
            return this;
        }

        /**
         * Sets how long the worker waits for an async callback when the call has no deadline.
         *
         * @param callbackTimeout a positive duration
         * @return this builder
         */
        public Builder callbackTimeout(Duration callbackTimeout) {
            this.callbackTimeout = callbackTimeout;
            return this;
        }

        /**
         * Sets the codecs that bind parameters and decode column values: user codecs, date and time storage, UUID
         * storage, declared types. A {@code Database} passes one registry to all its connections.
         *
         * @param codecs the registry; {@code null} for {@link CodecRegistry#defaults()}
         * @return this builder
         */
        public Builder codecs(CodecRegistry codecs) {
            this.codecs = codecs == null ? CodecRegistry.defaults() : codecs;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a value is out of range
         */
        public ConnectionOptions build() {
            return new ConnectionOptions(path, pragmas, busyTimeout, prefetch, statementCacheSize, workerThreadName,
                    completionExecutor, readOnly, create, progressSteps, callbackTimeout, codecs);
        }
    }
}
