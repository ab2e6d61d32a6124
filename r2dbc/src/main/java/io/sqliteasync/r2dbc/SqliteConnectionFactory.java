package io.sqliteasync.r2dbc;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.TransactionMode;
import io.sqliteasync.codec.CodecRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * An R2DBC {@link ConnectionFactory} over one sqlite-async {@link Database}: one writer connection and WAL
 * readers, shared by every {@link SqliteConnection} this factory creates. Because all of them write through the
 * single writer, in the order they ask for it, R2DBC users never see "database is locked" from each other.
 *
 * <p>The database opens on the first {@link #create()} (a failed open is retried by the next one) and stays open
 * until {@link #close()}. Creating a connection afterwards costs no I/O: it is a view onto the shared database.
 *
 * <p><b>Threading.</b> Every method returns at once; the publishers complete on a worker thread of the database
 * (named {@code sqlite-async-writer-<n>} or {@code sqlite-async-reader-<n>.<i>}). Safe to share across threads.
 */
public final class SqliteConnectionFactory implements ConnectionFactory, AutoCloseable {
    private static final String PRODUCT = "SQLite";

    private final DatabaseOptions options;
    private final Duration statementTimeout;
    private final Duration lockWaitTimeout;
    private final TransactionMode transactionMode;
    /** Set by the first create(); replaced when an open failed. Guarded by this. */
    private CompletableFuture<Database> database;
    /** Written once by the open, before the database future completes; read by connections. */
    private volatile String version = "";
    private volatile boolean closed;

    private SqliteConnectionFactory(DatabaseOptions options, Duration statementTimeout, Duration lockWaitTimeout,
            TransactionMode transactionMode) {
        this.options = options;
        this.statementTimeout = statementTimeout;
        this.lockWaitTimeout = lockWaitTimeout;
        this.transactionMode = transactionMode == null ? TransactionMode.IMMEDIATE : transactionMode;
    }

    /**
     * A factory for a database with the given settings, statements without timeout.
     *
     * @param options the database settings (path, readers, pragmas, codecs, ...)
     * @return the factory; nothing is opened yet
     */
    public static SqliteConnectionFactory of(DatabaseOptions options) {
        return new SqliteConnectionFactory(Objects.requireNonNull(options, "options"), null, null, null);
    }

    /**
     * A factory for a file (or {@code :memory:}) with default settings.
     *
     * @param path a file path, absolute or relative to the working directory, or {@code :memory:}
     * @return the factory; nothing is opened yet
     */
    public static SqliteConnectionFactory of(String path) {
        return of(DatabaseOptions.of(path));
    }

    /**
     * A factory from R2DBC options: {@code DATABASE} (required), {@code STATEMENT_TIMEOUT},
     * {@code LOCK_WAIT_TIMEOUT} and the options in {@link SqliteOptions}. With {@code DRIVER} {@code dqlite} the
     * database is a dqlite cluster's, located by {@code HOST}, {@code PORT} and the options in
     * {@link DqliteOptions}; any other driver value (or none) means a file.
     *
     * @param options the options, typically parsed from a URL such as {@code r2dbc:sqlite:////abs/app.db} or
     *     {@code r2dbc:dqlite://10.0.0.1:9001,10.0.0.2:9001/app}
     * @return the factory; nothing is opened yet
     * @throws IllegalArgumentException if {@code DATABASE} (or, for dqlite, every member) is missing or an option
     *     has a bad value
     */
    public static SqliteConnectionFactory from(ConnectionFactoryOptions options) {
        Objects.requireNonNull(options, "options");
        String location;
        if (DqliteConnectionFactoryProvider.DRIVER.equals(options.getValue(ConnectionFactoryOptions.DRIVER))) {
            location = DqliteOptions.location(options);
        } else {
            Object db = options.getValue(ConnectionFactoryOptions.DATABASE);
            if (db == null || db.toString().isBlank()) {
                throw new IllegalArgumentException("the DATABASE option is required: a file path or :memory: (URL"
                        + " r2dbc:sqlite:////absolute/path.db, r2dbc:sqlite:///relative/path.db or"
                        + " r2dbc:sqlite:///:memory:)");
            }
            location = db.toString();
        }
        DatabaseOptions.Builder b = DatabaseOptions.builder(location);
        Integer readers = SqliteOptions.integer(options.getValue(SqliteOptions.READERS), "readers");
        if (readers != null) {
            b.readers(readers);
        }
        Duration busy = SqliteOptions.duration(options.getValue(SqliteOptions.BUSY_TIMEOUT), "busyTimeout");
        if (busy != null) {
            b.busyTimeout(busy);
        }
        Duration acquire = SqliteOptions.duration(options.getValue(SqliteOptions.ACQUIRE_TIMEOUT), "acquireTimeout");
        if (acquire != null) {
            b.acquireTimeout(acquire);
        }
        Duration tx = SqliteOptions.duration(options.getValue(SqliteOptions.TRANSACTION_TIMEOUT),
                "transactionTimeout");
        if (tx != null) {
            b.transactionTimeout(tx);
        }
        Integer prefetch = SqliteOptions.integer(options.getValue(SqliteOptions.PREFETCH), "prefetch");
        if (prefetch != null) {
            b.prefetch(prefetch);
        }
        Object sync = options.getValue(SqliteOptions.SYNCHRONOUS);
        if (sync != null) {
            b.synchronous(sync.toString());
        }
        for (Map.Entry<String, String> p : SqliteOptions.pragmas(options.getValue(SqliteOptions.PRAGMAS)).entrySet()) {
            b.pragma(p.getKey(), p.getValue());
        }
        Object codecs = options.getValue(SqliteOptions.CODECS);
        if (codecs != null) {
            if (!(codecs instanceof CodecRegistry)) {
                throw new IllegalArgumentException("option codecs needs a CodecRegistry, was " + codecs.getClass());
            }
            b.codecs((CodecRegistry) codecs);
        }
        Duration statement = SqliteOptions.duration(options.getValue(ConnectionFactoryOptions.STATEMENT_TIMEOUT),
                "statementTimeout");
        Duration lockWait = SqliteOptions.duration(options.getValue(ConnectionFactoryOptions.LOCK_WAIT_TIMEOUT),
                "lockWaitTimeout");
        TransactionMode mode = SqliteOptions.transactionMode(options.getValue(SqliteOptions.TRANSACTION_MODE));
        return new SqliteConnectionFactory(b.build(), statement, lockWait, mode);
    }

    /**
     * The database settings.
     *
     * @return the options
     */
    public DatabaseOptions options() {
        return options;
    }

    /**
     * Opens the shared database if needed and returns a new connection onto it, in auto-commit mode.
     *
     * @return a mono completed on a worker thread (or at once when the database is open) with the connection;
     *     failed with an {@link io.r2dbc.spi.R2dbcException} when the database cannot be opened or the factory is
     *     closed
     */
    @Override
    public Mono<SqliteConnection> create() {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new io.r2dbc.spi.R2dbcNonTransientResourceException(
                        "the connection factory is closed"));
            }
            return Mono.fromFuture(database(), true)
                    .map(db -> new SqliteConnection(db, version, statementTimeout, lockWaitTimeout, transactionMode))
                    .onErrorMap(Exceptions::map);
        });
    }

    /**
     * The shared database, opened on first use.
     *
     * @return a future completed on a worker thread with the open database
     */
    public synchronized CompletableFuture<Database> database() {
        if (database == null || database.isCompletedExceptionally()) {
            database = Database.open(options).thenCompose(db -> db.fetchOne("SELECT sqlite_version()")
                    .handle((row, e) -> {
                        if (row != null) {
                            version = row.getString(0);
                        }
                        return db;
                    }));
        }
        return database;
    }

    /**
     * Describes the driver.
     *
     * @return metadata naming SQLite
     */
    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return () -> PRODUCT;
    }

    /**
     * Closes the shared database without blocking; connections still open fail their later calls. Idempotent.
     *
     * @return a mono completed (on a worker thread) once every SQLite connection is closed
     */
    public Mono<Void> closeAsync() {
        return Mono.defer(() -> {
            CompletableFuture<Database> db;
            synchronized (this) {
                closed = true;
                db = database;
            }
            if (db == null) {
                return Mono.empty();
            }
            return Mono.fromFuture(db.handle((d, e) -> d), true)
                    .flatMap(d -> d == null ? Mono.empty() : Mono.fromFuture(d.closeAsync(), true));
        });
    }

    /** Closes the shared database and waits for it; see {@link #closeAsync()}. Blocks the calling thread. */
    @Override
    public void close() {
        closeAsync().block();
    }

    @Override
    public String toString() {
        return "SqliteConnectionFactory[" + options.path() + "]";
    }
}
