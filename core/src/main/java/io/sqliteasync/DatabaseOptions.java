package io.sqliteasync;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import io.sqliteasync.codec.CodecRegistry;
import java.util.concurrent.Executor;

/**
 * Settings of a {@link Database}. Immutable; build with {@link #builder(String)}.
 *
 * <p>Every connection gets, in this order: {@code foreign_keys = ON}, the busy timeout, {@code synchronous},
 * {@code temp_store}, {@code cache_size}, then {@link #pragmas()}, then the {@link #initializer()}. The writer also
 * switches the file to {@code journal_mode = WAL} once; readers end their setup with {@code query_only = 1}.
 *
 * @param path a file path, {@code ":memory:"}, or a SQLite URI filename; in-memory databases and files that cannot
 *     use WAL are served by one shared connection (see {@link Database})
 * @param readers how many reader connections (at least 1); defaults to the number of processors, at least 2
 * @param busyTimeout how long SQLite waits for a lock held by another process ({@code busy_timeout}), default 5 s
 * @param acquireTimeout how long a call waits for a reader or for the writer before failing with
 *     {@link SqliteTimeoutException}; {@link Duration#ZERO} waits without limit. Default 30 s
 * @param transactionTimeout how long a {@code transaction(fn)} or {@code read(fn)} may stay open before it is rolled
 *     back and fails with {@link SqliteTimeoutException}; {@link Duration#ZERO} means no limit. Default 60 s
 * @param synchronous the {@code synchronous} pragma, default {@code NORMAL} (durable across application crashes; a
 *     power loss may lose the last transactions, never corrupt the file)
 * @param tempStore the {@code temp_store} pragma, default {@code MEMORY}
 * @param cacheSize the {@code cache_size} pragma per connection: pages when positive, KiB when negative; default
 *     {@code -8000} (about 8 MB)
 * @param pragmas further pragmas for every connection, run in order after the ones above
 * @param initializer code run on every connection after its pragmas, or {@code null}
 * @param prefetch rows per round trip for cursors and streams, see {@link ConnectionOptions#prefetch()}
 * @param statementCacheSize prepared statements cached per connection
 * @param completionExecutor where futures complete, or {@code null} to complete them on the worker threads (see
 *     {@link ConnectionOptions#completionExecutor()})
 * @param codecs the codecs every connection of the database uses, see {@link ConnectionOptions#codecs()}
 * @param progressSteps VM steps between cancellation checks, see {@link ConnectionOptions#progressSteps()}
 * @param callbackTimeout the bound on async callbacks outside deadlines, see
 *     {@link ConnectionOptions#callbackTimeout()}
 */
public record DatabaseOptions(
        String path,
        int readers,
        Duration busyTimeout,
        Duration acquireTimeout,
        Duration transactionTimeout,
        String synchronous,
        String tempStore,
        int cacheSize,
        Map<String, String> pragmas,
        ConnectionInitializer initializer,
        int prefetch,
        int statementCacheSize,
        Executor completionExecutor,
        CodecRegistry codecs,
        int progressSteps,
        Duration callbackTimeout) {

    /** The default acquire timeout. */
    public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);
    /** The default transaction timeout. */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(60);
    /** The default cache size, in KiB (negative per SQLite's convention). */
    public static final int DEFAULT_CACHE_SIZE = -8000;

    // Validates and copies the arguments (documented by the record header).
    public DatabaseOptions {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path is empty: use \":memory:\" for an in-memory database");
        }
        if (readers < 1) {
            throw new IllegalArgumentException("readers must be at least 1, was " + readers);
        }
        busyTimeout = nonNegative(busyTimeout, "busyTimeout");
        acquireTimeout = nonNegative(acquireTimeout, "acquireTimeout");
        transactionTimeout = nonNegative(transactionTimeout, "transactionTimeout");
        synchronous = word(synchronous, "synchronous");
        tempStore = word(tempStore, "tempStore");
        pragmas = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(pragmas, "pragmas")));
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
        }
        if (statementCacheSize < 0) {
            throw new IllegalArgumentException("statementCacheSize must not be negative, was " + statementCacheSize);
        }
        if (codecs == null) {
            codecs = CodecRegistry.defaults();
        }
        if (progressSteps < 1) {
            throw new IllegalArgumentException("progressSteps must be at least 1, was " + progressSteps);
        }
        Objects.requireNonNull(callbackTimeout, "callbackTimeout");
        if (callbackTimeout.isNegative() || callbackTimeout.isZero()) {
            throw new IllegalArgumentException("callbackTimeout must be positive, was " + callbackTimeout);
        }
    }

    private static Duration nonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(name + " out of range: " + d);
        }
        return d;
    }

    private static String word(String value, String name) {
        Objects.requireNonNull(value, name);
        if (!value.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("not a valid " + name + " value: " + value);
        }
        return value;
    }

    /**
     * Options with every default for the given database.
     *
     * @param path a file path, {@code ":memory:"} or a {@code file:} URI
     * @return the options
     */
    public static DatabaseOptions of(String path) {
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

    /**
     * The number of readers used when none is set: the number of processors, at least 2.
     *
     * @return the default reader count
     */
    public static int defaultReaders() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** Builds {@link DatabaseOptions}. Not thread-safe. */
    public static final class Builder {
        private final String path;
        private int readers = defaultReaders();
        private Duration busyTimeout = ConnectionOptions.DEFAULT_BUSY_TIMEOUT;
        private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;
        private Duration transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT;
        private String synchronous = "NORMAL";
        private String tempStore = "MEMORY";
        private int cacheSize = DEFAULT_CACHE_SIZE;
        private final Map<String, String> pragmas = new LinkedHashMap<>();
        private ConnectionInitializer initializer;
        private int prefetch = ConnectionOptions.DEFAULT_PREFETCH;
        private int statementCacheSize = ConnectionOptions.DEFAULT_STATEMENT_CACHE_SIZE;
        private CodecRegistry codecs = CodecRegistry.defaults();
        private int progressSteps = ConnectionOptions.DEFAULT_PROGRESS_STEPS;
        private Duration callbackTimeout = ConnectionOptions.DEFAULT_CALLBACK_TIMEOUT;
        private Executor completionExecutor;

        private Builder(String path) {
            this.path = path;
        }

        /**
         * Sets the number of reader connections.
         *
         * @param readers at least 1
         * @return this builder
         */
        public Builder readers(int readers) {
            this.readers = readers;
            return this;
        }

        /**
         * Sets the busy timeout of every connection.
         *
         * @param busyTimeout how long SQLite waits for a lock held by another process
         * @return this builder
         */
        public Builder busyTimeout(Duration busyTimeout) {
            this.busyTimeout = busyTimeout;
            return this;
        }

        /**
         * Sets how long a call waits for a connection.
         *
         * @param acquireTimeout the limit; {@link Duration#ZERO} for none
         * @return this builder
         */
        public Builder acquireTimeout(Duration acquireTimeout) {
            this.acquireTimeout = acquireTimeout;
            return this;
        }

        /**
         * Sets how long a transaction or read scope may stay open.
         *
         * @param transactionTimeout the limit; {@link Duration#ZERO} for none
         * @return this builder
         */
        public Builder transactionTimeout(Duration transactionTimeout) {
            this.transactionTimeout = transactionTimeout;
            return this;
        }

        /**
         * Sets the {@code synchronous} pragma.
         *
         * @param synchronous {@code OFF}, {@code NORMAL}, {@code FULL} or {@code EXTRA}
         * @return this builder
         */
        public Builder synchronous(String synchronous) {
            this.synchronous = synchronous;
            return this;
        }

        /**
         * Sets the {@code temp_store} pragma.
         *
         * @param tempStore {@code DEFAULT}, {@code FILE} or {@code MEMORY}
         * @return this builder
         */
        public Builder tempStore(String tempStore) {
            this.tempStore = tempStore;
            return this;
        }

        /**
         * Sets the {@code cache_size} pragma of each connection.
         *
         * @param cacheSize pages when positive, KiB when negative
         * @return this builder
         */
        public Builder cacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
            return this;
        }

        /**
         * Adds a pragma run on every connection, after the built-in ones and those added before it.
         *
         * @param name the pragma name
         * @param value its value
         * @return this builder
         */
        public Builder pragma(String name, String value) {
            pragmas.put(name, value);
            return this;
        }

        /**
         * Sets the code run on every connection after its pragmas.
         *
         * @param initializer the code, or {@code null}
         * @return this builder
         */
        public Builder initializer(ConnectionInitializer initializer) {
            this.initializer = initializer;
            return this;
        }

        /**
         * Sets the rows stepped per round trip by cursors and streams.
         *
         * @param prefetch at least 1
         * @return this builder
         */
        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /**
         * Sets the prepared-statement cache size of each connection.
         *
         * @param statementCacheSize {@code 0} disables the cache
         * @return this builder
         */
        public Builder statementCacheSize(int statementCacheSize) {
            this.statementCacheSize = statementCacheSize;
            return this;
        }

        /**
         * Moves future completion to an executor.
         *
         * @param completionExecutor the executor, or {@code null} to complete on the worker threads
         * @return this builder
         */
        public Builder completionExecutor(Executor completionExecutor) {
            this.completionExecutor = completionExecutor;
            return this;
        }

        /**
         * Sets the codecs shared by every connection of the database.
         *
         * @param codecs the registry; {@code null} for {@link CodecRegistry#defaults()}
         * @return this builder
         */
        public Builder codecs(CodecRegistry codecs) {
            this.codecs = codecs;
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
         * Sets how long a worker waits for an async callback when the call has no deadline.
         *
         * @param callbackTimeout a positive duration
         * @return this builder
         */
        public Builder callbackTimeout(Duration callbackTimeout) {
            this.callbackTimeout = callbackTimeout;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a value is out of range
         */
        public DatabaseOptions build() {
            return new DatabaseOptions(path, readers, busyTimeout, acquireTimeout, transactionTimeout, synchronous,
                    tempStore, cacheSize, pragmas, initializer, prefetch, statementCacheSize, completionExecutor,
                    codecs, progressSteps, callbackTimeout);
        }
    }
}
