package io.sqliteasync;

import io.sqliteasync.codec.CodecRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Settings of a {@link Database}: the settings of its pool (readers, timeouts for acquiring a connection and for
 * transaction scopes, the pragmas every connection gets) around a {@link ConnectionOptions} that every connection of
 * the database is opened with ({@link #connection()}). Immutable and thread-safe; build with
 * {@link #builder(String)}, or derive from existing options with {@link #toBuilder()}. Two options are equal when
 * every setting is equal.
 *
 * <p>Every connection gets, in this order: {@code foreign_keys = ON}, the busy timeout, {@code synchronous},
 * {@code temp_store}, {@code cache_size}, then {@link #pragmas()}, then the {@link #initializer()}. The writer also
 * switches the file to {@code journal_mode = WAL} once; readers end their setup with {@code query_only = 1}.
 *
 * <p>In-memory databases and files that cannot use WAL are served by one shared connection (see
 * {@link Database}).
 */
public final class DatabaseOptions {
    /** The default acquire timeout. */
    public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);
    /** The default transaction timeout. */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(60);
    /** The default largest number of writes one group commit takes. */
    public static final int DEFAULT_GROUP_COMMIT_MAX_BATCH = 64;
    /** The default cache size, in KiB (negative per SQLite's convention). */
    public static final int DEFAULT_CACHE_SIZE = -8000;

    private final ConnectionOptions connection;
    private final int readers;
    private final Duration acquireTimeout;
    private final Duration transactionTimeout;
    private final String synchronous;
    private final String tempStore;
    private final int cacheSize;
    private final ConnectionInitializer initializer;
    private final boolean groupCommit;
    private final int groupCommitMaxBatch;

    private DatabaseOptions(Builder b) {
        connection = b.connection.path(b.path).build();
        if (connection.readOnly()) {
            throw new IllegalArgumentException("a Database needs a writable connection: readOnly connection options"
                    + " are refused (open a read-only file with AsyncConnection instead)");
        }
        if (b.readers < 1) {
            throw new IllegalArgumentException("readers must be at least 1, was " + b.readers);
        }
        readers = b.readers;
        acquireTimeout = ConnectionOptions.millis(b.acquireTimeout, "acquireTimeout");
        transactionTimeout = ConnectionOptions.millis(b.transactionTimeout, "transactionTimeout");
        synchronous = word(b.synchronous, "synchronous");
        tempStore = word(b.tempStore, "tempStore");
        cacheSize = b.cacheSize;
        initializer = b.initializer;
        if (b.groupCommitMaxBatch < 2) {
            throw new IllegalArgumentException("groupCommitMaxBatch must be at least 2, was " + b.groupCommitMaxBatch);
        }
        groupCommit = b.groupCommit;
        groupCommitMaxBatch = b.groupCommitMaxBatch;
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

    /**
     * Options like these, as a builder to change some of them. Thread-safe; the builder is the caller's own.
     *
     * @return a new builder holding every setting of these options
     */
    public Builder toBuilder() {
        Builder b = new Builder(connection.path());
        b.connection(connection);
        b.readers = readers;
        b.acquireTimeout = acquireTimeout;
        b.transactionTimeout = transactionTimeout;
        b.synchronous = synchronous;
        b.tempStore = tempStore;
        b.cacheSize = cacheSize;
        b.initializer = initializer;
        b.groupCommit = groupCommit;
        b.groupCommitMaxBatch = groupCommitMaxBatch;
        return b;
    }

    /**
     * Whether plain writes waiting for the writer together share one transaction and one commit; see
     * {@link Builder#groupCommit(boolean)}.
     *
     * @return {@code true} when group commit is on (default off)
     */
    public boolean groupCommit() {
        return groupCommit;
    }

    /**
     * The largest number of writes one group commit takes.
     *
     * @return the limit, at least 2 (default {@value #DEFAULT_GROUP_COMMIT_MAX_BATCH})
     */
    public int groupCommitMaxBatch() {
        return groupCommitMaxBatch;
    }

    /**
     * The settings every connection of the database is opened with. Its pragmas are the further pragmas of
     * {@link #pragmas()}; the database runs its own before them (see the class description). Its
     * {@link ConnectionOptions#workerThreadName() workerThreadName}, when set, prefixes the worker threads' names
     * ({@code <name>-writer}, {@code <name>-reader-<i>}); otherwise they are {@code sqlite-async-writer-<n>} and
     * {@code sqlite-async-reader-<n>.<i>}.
     *
     * @return the connection options
     */
    public ConnectionOptions connection() {
        return connection;
    }

    /**
     * The database: a file path, {@code ":memory:"}, or a SQLite URI filename.
     *
     * @return {@code connection().path()}
     */
    public String path() {
        return connection.path();
    }

    /**
     * How many reader connections the database keeps in WAL mode.
     *
     * @return at least 1; by default the number of processors, at least 2
     */
    public int readers() {
        return readers;
    }

    /**
     * How long SQLite waits for a lock held by another process ({@code busy_timeout}). Default 5 s.
     *
     * @return {@code connection().busyTimeout()}
     */
    public Duration busyTimeout() {
        return connection.busyTimeout();
    }

    /**
     * How long a call waits for a reader or for the writer before failing with {@link SqliteTimeoutException}.
     * Default 30 s.
     *
     * @return the limit; {@link Duration#ZERO} waits without limit
     */
    public Duration acquireTimeout() {
        return acquireTimeout;
    }

    /**
     * How long a {@code transaction(fn)} or {@code read(fn)} may stay open before it is rolled back and fails with
     * {@link SqliteTimeoutException}. Default 60 s.
     *
     * @return the limit; {@link Duration#ZERO} means none
     */
    public Duration transactionTimeout() {
        return transactionTimeout;
    }

    /**
     * The {@code synchronous} pragma. Default {@code NORMAL}: durable across application crashes; a power loss may
     * lose the last transactions, never corrupt the file.
     *
     * @return the pragma's value
     */
    public String synchronous() {
        return synchronous;
    }

    /**
     * The {@code temp_store} pragma. Default {@code MEMORY}.
     *
     * @return the pragma's value
     */
    public String tempStore() {
        return tempStore;
    }

    /**
     * The {@code cache_size} pragma per connection: pages when positive, KiB when negative. Default {@code -8000}
     * (about 8 MB).
     *
     * @return the pragma's value
     */
    public int cacheSize() {
        return cacheSize;
    }

    /**
     * Further pragmas for every connection, run in order after the built-in ones.
     *
     * @return {@code connection().pragmas()}
     */
    public Map<String, String> pragmas() {
        return connection.pragmas();
    }

    /**
     * Code run on every connection, on its worker thread, after its pragmas.
     *
     * @return the initializer, or {@code null}
     */
    public ConnectionInitializer initializer() {
        return initializer;
    }

    /**
     * Rows per round trip for cursors and streams.
     *
     * @return {@code connection().prefetch()}
     */
    public int prefetch() {
        return connection.prefetch();
    }

    /**
     * Prepared statements cached per connection.
     *
     * @return {@code connection().statementCacheSize()}
     */
    public int statementCacheSize() {
        return connection.statementCacheSize();
    }

    /**
     * Where futures complete.
     *
     * @return {@code connection().completionExecutor()}: the executor, or {@code null} to complete them on the worker
     *     threads
     */
    public Executor completionExecutor() {
        return connection.completionExecutor();
    }

    /**
     * The codecs every connection of the database uses.
     *
     * @return {@code connection().codecs()}
     */
    public CodecRegistry codecs() {
        return connection.codecs();
    }

    /**
     * VM steps between cancellation checks.
     *
     * @return {@code connection().progressSteps()}
     */
    public int progressSteps() {
        return connection.progressSteps();
    }

    /**
     * The bound on async callbacks outside deadlines.
     *
     * @return {@code connection().callbackTimeout()}
     */
    public Duration callbackTimeout() {
        return connection.callbackTimeout();
    }

    /**
     * How long the JVM's exit waits for the database's queued and running work; the database is drained as a whole,
     * see {@link ConnectionOptions#shutdownDrainTimeout()}.
     *
     * @return {@code connection().shutdownDrainTimeout()}
     */
    public Duration shutdownDrainTimeout() {
        return connection.shutdownDrainTimeout();
    }

    /**
     * The listener told of every call on the database, its transactions, snapshots, cursors and streams; see
     * {@link CallListener}. More can be added to an open database with {@link Database#addListener(CallListener)}.
     *
     * @return {@code connection().listener()}: the listener, or {@code null}
     */
    public CallListener listener() {
        return connection.listener();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DatabaseOptions)) {
            return false;
        }
        DatabaseOptions d = (DatabaseOptions) o;
        return connection.equals(d.connection) && readers == d.readers && acquireTimeout.equals(d.acquireTimeout)
                && transactionTimeout.equals(d.transactionTimeout) && synchronous.equals(d.synchronous)
                && tempStore.equals(d.tempStore) && cacheSize == d.cacheSize
                && Objects.equals(initializer, d.initializer) && groupCommit == d.groupCommit
                && groupCommitMaxBatch == d.groupCommitMaxBatch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(connection, readers, acquireTimeout, transactionTimeout, synchronous, tempStore, cacheSize,
                initializer, groupCommit, groupCommitMaxBatch);
    }

    @Override
    public String toString() {
        return "DatabaseOptions[readers=" + readers + ", acquireTimeout=" + acquireTimeout + ", transactionTimeout="
                + transactionTimeout + ", synchronous=" + synchronous + ", tempStore=" + tempStore + ", cacheSize="
                + cacheSize + ", initializer=" + initializer + ", groupCommit=" + groupCommit + ", groupCommitMaxBatch="
                + groupCommitMaxBatch + ", connection=" + connection + "]";
    }

    /**
     * Builds {@link DatabaseOptions}. The connection settings go into a {@link ConnectionOptions.Builder} held
     * inside, which {@link #connection(ConnectionOptions)} can start from prepared options. Not thread-safe: one
     * thread builds.
     */
    public static final class Builder {
        private final String path;
        private final ConnectionOptions.Builder connection;
        private int readers = defaultReaders();
        private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;
        private Duration transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT;
        private String synchronous = "NORMAL";
        private String tempStore = "MEMORY";
        private int cacheSize = DEFAULT_CACHE_SIZE;
        private ConnectionInitializer initializer;
        private boolean groupCommit;
        private int groupCommitMaxBatch = DEFAULT_GROUP_COMMIT_MAX_BATCH;

        private Builder(String path) {
            this.path = path;
            this.connection = ConnectionOptions.builder(path);
        }

        /**
         * Takes every connection setting from prepared options, replacing those set on this builder so far, except
         * the path: the database's stays. Setters called afterwards change this builder's copy, never
         * {@code options}.
         *
         * @param options the connection settings to start from
         * @return this builder
         */
        public Builder connection(ConnectionOptions options) {
            Objects.requireNonNull(options, "options");
            connection.clearPragmas();
            options.pragmas().forEach(connection::pragma);
            connection.busyTimeout(options.busyTimeout())
                    .prefetch(options.prefetch())
                    .statementCacheSize(options.statementCacheSize())
                    .workerThreadName(options.workerThreadName())
                    .completionExecutor(options.completionExecutor())
                    .readOnly(options.readOnly())
                    .create(options.create())
                    .progressSteps(options.progressSteps())
                    .callbackTimeout(options.callbackTimeout())
                    .codecs(options.codecs())
                    .shutdownDrainTimeout(options.shutdownDrainTimeout())
                    .listener(options.listener());
            return this;
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
            connection.busyTimeout(busyTimeout);
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
         * Switches group commit on or off (default off). With it on, plain writes ({@link Database#execute},
         * {@link Database#executeMany}, {@link Database#executeScript}) that wait for the writer at the same time run
         * back to back in one transaction, made durable by one {@code COMMIT}, instead of one commit (one WAL sync
         * under {@code synchronous=FULL}) each. Nothing waits for company: a batch takes the writes that queued while
         * the writer was busy, so a lone write runs at once, alone, as without group commit. Each caller's future
         * still completes only once its write is committed; a write that fails fails alone, and a failing
         * {@code COMMIT} fails every write of its batch. {@link Database#transaction(java.util.function.Function)}
         * units (modes {@code DEFERRED} and {@code IMMEDIATE}) are grouped too, each in a savepoint of its own inside
         * the batch's transaction: a failing one rolls back to its savepoint and fails alone, and its future completes
         * with the function's result only after the shared {@code COMMIT}; the batch holds the writer while the
         * function's stage is pending, as a transaction does. {@code begin()} handles (and so
         * {@code db.blocking().transaction}), {@code EXCLUSIVE} transactions and writes that cannot run inside a
         * transaction (transaction control, {@code VACUUM}, {@code ATTACH}, {@code DETACH}, pragmas) are not
         * grouped; see {@code docs/architecture.md}, "Group commit".
         *
         * @param enabled whether to group
         * @return this builder
         */
        public Builder groupCommit(boolean enabled) {
            this.groupCommit = enabled;
            return this;
        }

        /**
         * Sets the largest number of units (plain writes and {@code transaction(fn)} units) one group commit takes;
         * later ones wait for the next batch.
         *
         * @param maxBatch at least 2
         * @return this builder
         */
        public Builder groupCommitMaxBatch(int maxBatch) {
            this.groupCommitMaxBatch = maxBatch;
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
            connection.pragma(name, value);
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
            connection.prefetch(prefetch);
            return this;
        }

        /**
         * Sets the prepared-statement cache size of each connection.
         *
         * @param statementCacheSize {@code 0} disables the cache
         * @return this builder
         */
        public Builder statementCacheSize(int statementCacheSize) {
            connection.statementCacheSize(statementCacheSize);
            return this;
        }

        /**
         * Moves future completion to an executor.
         *
         * @param completionExecutor the executor, or {@code null} to complete on the worker threads
         * @return this builder
         */
        public Builder completionExecutor(Executor completionExecutor) {
            connection.completionExecutor(completionExecutor);
            return this;
        }

        /**
         * Sets the codecs shared by every connection of the database.
         *
         * @param codecs the registry; {@code null} for {@link CodecRegistry#defaults()}
         * @return this builder
         */
        public Builder codecs(CodecRegistry codecs) {
            connection.codecs(codecs);
            return this;
        }

        /**
         * Sets how many SQLite VM steps run between cancellation and deadline checks.
         *
         * @param progressSteps at least 1
         * @return this builder
         */
        public Builder progressSteps(int progressSteps) {
            connection.progressSteps(progressSteps);
            return this;
        }

        /**
         * Sets whether the schema is trusted on every connection; see {@link ConnectionOptions#trustedSchema()}.
         *
         * @param trustedSchema {@code true} to let the schema's views and triggers call any function
         * @return this builder
         */
        public Builder trustedSchema(boolean trustedSchema) {
            connection.trustedSchema(trustedSchema);
            return this;
        }

        /**
         * Sets whether native extensions may be loaded on every connection; see
         * {@link ConnectionOptions#allowLoadExtension()}.
         *
         * @param allowLoadExtension {@code true} to enable {@code load_extension()}
         * @return this builder
         */
        public Builder allowLoadExtension(boolean allowLoadExtension) {
            connection.allowLoadExtension(allowLoadExtension);
            return this;
        }

        /**
         * Sets how long a worker waits for an async callback when the call has no deadline.
         *
         * @param callbackTimeout a positive duration
         * @return this builder
         */
        public Builder callbackTimeout(Duration callbackTimeout) {
            connection.callbackTimeout(callbackTimeout);
            return this;
        }

        /**
         * Sets how long the JVM's exit waits for the database's queued and running work, see
         * {@link ConnectionOptions#shutdownDrainTimeout()}.
         *
         * @param shutdownDrainTimeout the bound; {@link Duration#ZERO} not to drain the database at exit
         * @return this builder
         */
        public Builder shutdownDrainTimeout(Duration shutdownDrainTimeout) {
            connection.shutdownDrainTimeout(shutdownDrainTimeout);
            return this;
        }

        /**
         * Sets the listener told of every call on the database, replacing any set before; see {@link CallListener}
         * for the threads its callbacks run on (they must not block).
         *
         * @param listener the listener, or {@code null} for none
         * @return this builder
         */
        public Builder listener(CallListener listener) {
            connection.listener(listener);
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a value is out of range, or the connection settings are read-only
         * @throws NullPointerException if the path, a duration or a pragma value is {@code null}
         */
        public DatabaseOptions build() {
            return new DatabaseOptions(this);
        }
    }
}
