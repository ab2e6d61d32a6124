package io.sqliteasync;

import io.sqliteasync.codec.CodecRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Settings of one {@link AsyncConnection}. Immutable and thread-safe; build with {@link #builder(String)}, or derive
 * from existing options with {@link #toBuilder()}. Two options are equal when every setting is equal (executors,
 * codecs and the like by their own {@code equals}, usually identity).
 *
 * <p>A {@link Database} takes its connection settings from a {@code ConnectionOptions} held by its
 * {@link DatabaseOptions#connection()}.
 */
public final class ConnectionOptions {
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
    /** The default bound on how long the JVM's exit waits for an open connection to drain, see below. */
    public static final Duration DEFAULT_SHUTDOWN_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * The system property that, when set, replaces every connection's {@link #shutdownDrainTimeout()} at exit: an
     * ISO-8601 duration such as {@code PT5S}, or a number of milliseconds; {@code 0} turns draining off.
     */
    public static final String SHUTDOWN_DRAIN_TIMEOUT_PROPERTY = "sqliteasync.shutdownDrainTimeout";

    private final String path;
    private final Map<String, String> pragmas;
    private final Duration busyTimeout;
    private final int prefetch;
    private final int statementCacheSize;
    private final String workerThreadName;
    private final Executor completionExecutor;
    private final boolean readOnly;
    private final boolean create;
    private final int progressSteps;
    private final Duration callbackTimeout;
    private final CodecRegistry codecs;
    private final Duration shutdownDrainTimeout;
    private final CallListener listener;
    private final boolean trustedSchema;
    private final boolean allowLoadExtension;

    private ConnectionOptions(Builder b) {
        path = Objects.requireNonNull(b.path, "path");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path is empty: use \":memory:\" for an in-memory database");
        }
        pragmas = Collections.unmodifiableMap(new LinkedHashMap<>(b.pragmas));
        for (Map.Entry<String, String> p : pragmas.entrySet()) {
            if (p.getKey() == null || !p.getKey().matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw new IllegalArgumentException("not a pragma name: " + p.getKey());
            }
            Objects.requireNonNull(p.getValue(), () -> "the value of pragma " + p.getKey());
        }
        busyTimeout = millis(b.busyTimeout, "busyTimeout");
        if (b.prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, was " + b.prefetch);
        }
        prefetch = b.prefetch;
        if (b.statementCacheSize < 0) {
            throw new IllegalArgumentException("statementCacheSize must not be negative, was "
                    + b.statementCacheSize);
        }
        statementCacheSize = b.statementCacheSize;
        workerThreadName = b.workerThreadName;
        completionExecutor = b.completionExecutor;
        readOnly = b.readOnly;
        create = b.create;
        if (b.progressSteps < 1) {
            throw new IllegalArgumentException("progressSteps must be at least 1, was " + b.progressSteps);
        }
        progressSteps = b.progressSteps;
        Objects.requireNonNull(b.callbackTimeout, "callbackTimeout");
        if (b.callbackTimeout.isNegative() || b.callbackTimeout.isZero()) {
            throw new IllegalArgumentException("callbackTimeout must be positive, was " + b.callbackTimeout);
        }
        callbackTimeout = b.callbackTimeout;
        codecs = b.codecs == null ? CodecRegistry.defaults() : b.codecs;
        shutdownDrainTimeout = millis(b.shutdownDrainTimeout, "shutdownDrainTimeout");
        listener = b.listener;
        trustedSchema = b.trustedSchema;
        allowLoadExtension = b.allowLoadExtension;
    }

    /** Refuses durations that are negative or that do not fit SQLite's and the JDK's millisecond ints. */
    static Duration millis(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(name + " out of range (0 to " + Integer.MAX_VALUE + " ms): " + d);
        }
        return d;
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

    /**
     * Options like these, as a builder to change some of them. Thread-safe; the builder is the caller's own.
     *
     * @return a new builder holding every setting of these options
     */
    public Builder toBuilder() {
        Builder b = new Builder(path);
        b.pragmas.putAll(pragmas);
        b.busyTimeout = busyTimeout;
        b.prefetch = prefetch;
        b.statementCacheSize = statementCacheSize;
        b.workerThreadName = workerThreadName;
        b.completionExecutor = completionExecutor;
        b.readOnly = readOnly;
        b.create = create;
        b.progressSteps = progressSteps;
        b.callbackTimeout = callbackTimeout;
        b.codecs = codecs;
        b.shutdownDrainTimeout = shutdownDrainTimeout;
        b.trustedSchema = trustedSchema;
        b.allowLoadExtension = allowLoadExtension;
        b.listener = listener;
        return b;
    }

    /**
     * The database.
     *
     * @return a file path, {@code ":memory:"}, or a SQLite URI filename such as {@code file:app.db?mode=ro}
     */
    public String path() {
        return path;
    }

    /**
     * Pragmas run in order right after the connection opens, as {@code PRAGMA name = value}.
     *
     * @return an unmodifiable map in insertion order
     */
    public Map<String, String> pragmas() {
        return pragmas;
    }

    /**
     * How long SQLite retries when another connection holds a lock ({@code busy_timeout}). Default 5 s.
     *
     * @return the busy timeout
     */
    public Duration busyTimeout() {
        return busyTimeout;
    }

    /**
     * How many rows a stream or cursor steps per round trip to the worker. Default 64.
     *
     * @return at least 1
     */
    public int prefetch() {
        return prefetch;
    }

    /**
     * How many prepared statements the worker keeps for reuse, least recently used evicted first. Default 64.
     *
     * @return the cache size; {@code 0} means no cache
     */
    public int statementCacheSize() {
        return statementCacheSize;
    }

    /**
     * The worker thread's name.
     *
     * @return the name, or {@code null} for {@code sqlite-async-connection-<n>}
     */
    public String workerThreadName() {
        return workerThreadName;
    }

    /**
     * Where futures complete and dependent stages run.
     *
     * @return the executor, or {@code null} to complete them on the worker thread (the fastest handoff; dependent
     *     stages must then not block)
     */
    public Executor completionExecutor() {
        return completionExecutor;
    }

    /**
     * Whether the database is opened read-only ({@code SQLITE_OPEN_READONLY}). Default {@code false}.
     *
     * @return {@code true} for read-only
     */
    public boolean readOnly() {
        return readOnly;
    }

    /**
     * Whether a missing database file is created ({@code SQLITE_OPEN_CREATE}). Default {@code true}.
     *
     * @return {@code true} to create it
     */
    public boolean create() {
        return create;
    }

    /**
     * How many SQLite virtual-machine steps run between checks for cancellation and deadlines (the progress
     * handler); smaller stops sooner and costs more. Default 10,000.
     *
     * @return at least 1
     */
    public int progressSteps() {
        return progressSteps;
    }

    /**
     * Whether the schema is trusted ({@code PRAGMA trusted_schema}). Default {@code false}: every connection runs
     * {@code PRAGMA trusted_schema=OFF} when it opens (before {@link #pragmas()}), so views, triggers, CHECK
     * constraints and generated columns stored in the database file cannot call SQL functions that are not marked
     * innocuous, among them every function registered with {@link AsyncConnection#createFunction}: a file made by
     * someone else cannot make your functions run by being queried. SQLite's own default (and sqlite-jdbc's) is ON.
     *
     * @return {@code true} to keep SQLite's {@code trusted_schema=ON}
     */
    public boolean trustedSchema() {
        return trustedSchema;
    }

    /**
     * Whether SQL may load native extensions with {@code load_extension()} (and {@code sqlite3_load_extension} is
     * enabled). Default {@code false}, as in SQLite: {@code SELECT load_extension(...)} then fails with "not
     * authorized".
     *
     * @return {@code true} when extension loading is enabled
     */
    public boolean allowLoadExtension() {
        return allowLoadExtension;
    }

    /**
     * How long the worker waits for an async callback when the call has no deadline. Default 30 s.
     *
     * @return a positive duration
     */
    public Duration callbackTimeout() {
        return callbackTimeout;
    }

    /**
     * The codecs that bind parameters and decode column values.
     *
     * @return the registry; {@link CodecRegistry#defaults()} unless set
     */
    public CodecRegistry codecs() {
        return codecs;
    }

    /**
     * How long the JVM's exit waits for this connection to drain. Worker threads are daemons, so without draining a
     * command queued but not yet run when the JVM exits would be lost. A shutdown hook (one for the whole library,
     * registered when the first connection opens) closes every connection still open, which lets the commands
     * queued so far run, and waits for them: for each connection at most this long, and the exit as a whole at most
     * the longest of these bounds. A connection still busy when its bound passes is left behind: the hook logs
     * ({@link System.Logger}, logger {@code io.sqliteasync.internal.worker.ShutdownDrain}) that it gave up, the JVM
     * exits, and SQLite rolls back an unfinished transaction when the file is next opened. A {@link Database} is
     * drained as a whole: calls waiting for its writer or a reader, and transactions in progress, get to finish
     * within its bound. {@link Duration#ZERO} means the connection is not drained. The system property
     * {@value #SHUTDOWN_DRAIN_TIMEOUT_PROPERTY}, read at exit, replaces this setting for every connection. Default
     * 10 s.
     *
     * <p>Draining cannot help when the JVM is killed ({@code SIGKILL}, {@code Runtime.halt}), and a connection
     * whose worker thread itself called {@code System.exit} cannot drain (it waits for the hook): such exits wait
     * out the bound.
     *
     * @return the bound, {@link Duration#ZERO} for none
     */
    public Duration shutdownDrainTimeout() {
        return shutdownDrainTimeout;
    }

    /**
     * The listener told of every call on the connection (see {@link CallListener} for the threads its callbacks run
     * on); more can be added to an open connection with {@link AsyncConnection#addListener(CallListener)}. For a
     * {@link Database}, set through {@link DatabaseOptions.Builder#listener(CallListener)}, it hears the database's
     * calls. Default none.
     *
     * @return the listener, or {@code null}
     */
    public CallListener listener() {
        return listener;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ConnectionOptions)) {
            return false;
        }
        ConnectionOptions c = (ConnectionOptions) o;
        return path.equals(c.path) && pragmas.equals(c.pragmas) && busyTimeout.equals(c.busyTimeout)
                && prefetch == c.prefetch && statementCacheSize == c.statementCacheSize
                && Objects.equals(workerThreadName, c.workerThreadName)
                && Objects.equals(completionExecutor, c.completionExecutor) && readOnly == c.readOnly
                && create == c.create && progressSteps == c.progressSteps
                && callbackTimeout.equals(c.callbackTimeout) && codecs.equals(c.codecs)
                && shutdownDrainTimeout.equals(c.shutdownDrainTimeout) && Objects.equals(listener, c.listener)
                && trustedSchema == c.trustedSchema && allowLoadExtension == c.allowLoadExtension;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, pragmas, busyTimeout, prefetch, statementCacheSize, workerThreadName,
                completionExecutor, readOnly, create, progressSteps, callbackTimeout, codecs, shutdownDrainTimeout,
                listener, trustedSchema, allowLoadExtension);
    }

    @Override
    public String toString() {
        return "ConnectionOptions[path=" + path + ", pragmas=" + pragmas + ", busyTimeout=" + busyTimeout
                + ", prefetch=" + prefetch + ", statementCacheSize=" + statementCacheSize + ", workerThreadName="
                + workerThreadName + ", completionExecutor=" + completionExecutor + ", readOnly=" + readOnly
                + ", create=" + create + ", progressSteps=" + progressSteps + ", callbackTimeout=" + callbackTimeout
                + ", codecs=" + codecs + ", shutdownDrainTimeout=" + shutdownDrainTimeout
                + ", trustedSchema=" + trustedSchema + ", allowLoadExtension=" + allowLoadExtension
                + (listener == null ? "" : ", listener=" + listener) + "]";
    }

    /** Builds {@link ConnectionOptions}. Not thread-safe: one thread builds. */
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
        private Duration shutdownDrainTimeout = DEFAULT_SHUTDOWN_DRAIN_TIMEOUT;
        private CallListener listener;
        private boolean trustedSchema;
        private boolean allowLoadExtension;

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
         * Removes every pragma added so far, for example to put others before them.
         *
         * @return this builder
         */
        public Builder clearPragmas() {
            pragmas.clear();
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
         * Sets whether the schema is trusted; see {@link ConnectionOptions#trustedSchema()}.
         *
         * @param trustedSchema {@code true} to let the schema's views and triggers call any function
         * @return this builder
         */
        public Builder trustedSchema(boolean trustedSchema) {
            this.trustedSchema = trustedSchema;
            return this;
        }

        /**
         * Sets whether native extensions may be loaded; see {@link ConnectionOptions#allowLoadExtension()}.
         *
         * @param allowLoadExtension {@code true} to enable {@code load_extension()}
         * @return this builder
         */
        public Builder allowLoadExtension(boolean allowLoadExtension) {
            this.allowLoadExtension = allowLoadExtension;
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
         * Sets how long the JVM's exit waits for this connection's queued commands, see
         * {@link ConnectionOptions#shutdownDrainTimeout()}.
         *
         * @param shutdownDrainTimeout the bound, up to {@code Integer.MAX_VALUE} ms; {@link Duration#ZERO} not to
         *     drain this connection at exit
         * @return this builder
         */
        public Builder shutdownDrainTimeout(Duration shutdownDrainTimeout) {
            this.shutdownDrainTimeout = shutdownDrainTimeout;
            return this;
        }

        /**
         * Sets the listener told of every call on the connection, replacing any set before; see
         * {@link CallListener}. Its callbacks run on the calling thread, the worker thread and the completing thread,
         * and must not block.
         *
         * @param listener the listener, or {@code null} for none
         * @return this builder
         */
        public Builder listener(CallListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a value is out of range
         * @throws NullPointerException if the path or a duration is {@code null}
         */
        public ConnectionOptions build() {
            return new ConnectionOptions(this);
        }
    }
}
