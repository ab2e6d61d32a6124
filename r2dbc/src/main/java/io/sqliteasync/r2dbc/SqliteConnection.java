package io.sqliteasync.r2dbc;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.sqliteasync.Cursor;
import io.sqliteasync.Database;
import io.sqliteasync.Deadline;
import io.sqliteasync.Row;
import io.sqliteasync.Snapshot;
import io.sqliteasync.SqlClient;
import io.sqliteasync.SqliteTimeoutException;
import io.sqliteasync.Transaction;
import io.sqliteasync.TransactionMode;
import io.sqliteasync.codec.CodecRegistry;
import io.sqliteasync.internal.sql.SqlStatement;
import io.sqliteasync.internal.sql.SqlText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An R2DBC connection: a view onto the {@link Database} of its {@link SqliteConnectionFactory}, holding no SQLite
 * connection of its own while in auto-commit mode.
 *
 * <p><b>Routing.</b> In auto-commit mode a query ({@code SELECT}, {@code VALUES}, {@code WITH ... SELECT},
 * {@code EXPLAIN}, a reading {@code PRAGMA}) runs on a WAL reader as a cursor, opened when its rows are
 * subscribed and stepped as demand arrives; a write runs on the shared writer, queued in request order behind other writes and transactions. A
 * statement with several binding sets, a {@link io.r2dbc.spi.Batch} or a script that writes, and DML with
 * {@code RETURNING}, run in one transaction on the writer (all or nothing) and their rows are read in full. Once a
 * transaction begins ({@link #beginTransaction()}, {@link #setAutoCommit(boolean) setAutoCommit(false)} followed by
 * a statement, or {@link #createSavepoint}) the connection holds the single writer until it commits or rolls back,
 * and every statement, queries included, runs there, so it sees its own writes. A
 * {@linkplain TransactionDefinition#READ_ONLY read-only} transaction holds a reader instead: one consistent snapshot,
 * no writer held.
 *
 * <p><b>Threading.</b> Every method returns at once. Publishers complete on the worker thread of the SQLite
 * connection that ran the command ({@code sqlite-async-writer-<n>} or {@code sqlite-async-reader-<n>.<i>}), or on
 * the database's completion executor when set: operators chained without {@code publishOn} run there and must not
 * block. A connection is meant for one flow of statements at a time, as R2DBC expects; its state (auto-commit,
 * transaction) is safe to read from any thread.
 *
 * <p><b>Cancellation and timeouts.</b> Cancelling a subscription withdraws a statement that still waits for a
 * connection and stops one that runs, inside SQLite, within milliseconds; the connection stays usable. Inside a
 * transaction a statement already sent runs to its end instead (stopping it would make SQLite roll the whole
 * transaction back). The statement timeout bounds each round trip (the wait for a connection, execution, and each
 * batch of rows fetched) and fails it with {@link R2dbcTimeoutException}; inside a transaction it also ends the
 * transaction, whose later statements and commit then fail until it is rolled back. The lock wait timeout bounds
 * the wait for the writer when a transaction begins.
 */
public final class SqliteConnection implements Connection {
    private final Database database;
    private final String version;
    private final TransactionMode defaultMode;
    private final CodecRegistry codecs;
    private final int prefetch;
    private final Object lock = new Object();
    /** The mode chosen by setAutoCommit. Guarded by lock. */
    private boolean autoCommit = true;
    /** The open transaction, or null. Guarded by lock. */
    private Tx tx;
    /** Written by setters on the caller's thread; read when statements are submitted. */
    private volatile Duration statementTimeout;
    private volatile Duration lockWaitTimeout;
    private volatile boolean closed;
    /** Cursors of auto-commit queries not yet exhausted or discarded; closed with the connection. */
    private final Set<Cursor> cursors = ConcurrentHashMap.newKeySet();

    SqliteConnection(Database database, String version, Duration statementTimeout, Duration lockWaitTimeout,
            TransactionMode defaultMode) {
        this.database = database;
        this.version = version;
        this.statementTimeout = positive(statementTimeout);
        this.lockWaitTimeout = positive(lockWaitTimeout);
        this.defaultMode = defaultMode;
        this.codecs = database.options().codecs();
        this.prefetch = database.options().prefetch();
    }

    /**
     * What R2DBC needs on top of the core's handle: the core's begin (a {@link Transaction}, or a {@link Snapshot} when
     * read-only), which statements wait for, and why the connection itself ended the transaction early.
     */
    private static final class Tx {
        final boolean readOnly;
        /** The core's begin; cancelled to withdraw a request still waiting for the writer or a reader. */
        final CompletableFuture<? extends SqlClient> begun;
        /** Set by a statement timeout, which ends the transaction: later statements and the commit fail with it. */
        volatile Throwable aborted;
        /** Set when the transaction ended (commit, rollback, close) before it began; its begin fails with it. */
        volatile Throwable withdrawn;

        Tx(boolean readOnly, CompletableFuture<? extends SqlClient> begun) {
            this.readOnly = readOnly;
            this.begun = begun;
        }
    }

    /** One statement with the values of one binding set; values may still be {@link io.r2dbc.spi.Blob}s. */
    record Unit(SqlStatement.Kind kind, String sql, Object[] args) {
    }

    CodecRegistry codecs() {
        return codecs;
    }

    int prefetch() {
        return prefetch;
    }

    // ---------------------------------------------------------------- transactions

    /**
     * Begins a read-write transaction ({@code BEGIN IMMEDIATE} unless configured otherwise) once the writer is
     * free. No-op when one is open.
     *
     * @return a mono completed on the writer thread once the transaction began; failed with
     *     {@link R2dbcTimeoutException} when the lock wait timeout passed first
     */
    @Override
    public Mono<Void> beginTransaction() {
        return begin(false, defaultMode, null);
    }

    /**
     * Begins a transaction as defined: {@link TransactionDefinition#READ_ONLY} takes a reader's snapshot instead of
     * the writer; {@link TransactionDefinition#LOCK_WAIT_TIMEOUT} bounds the wait for the writer;
     * {@link SqliteOptions#TRANSACTION_MODE} chooses DEFERRED, IMMEDIATE or EXCLUSIVE. Every
     * {@link TransactionDefinition#ISOLATION_LEVEL} is accepted: SQLite transactions are serializable, which
     * satisfies each level. No-op when a transaction is open.
     *
     * @param definition the attributes
     * @return a mono completed on a worker thread once the transaction began
     */
    @Override
    public Mono<Void> beginTransaction(TransactionDefinition definition) {
        requireArgument(definition, "definition");
        boolean readOnly = Boolean.TRUE.equals(definition.getAttribute(TransactionDefinition.READ_ONLY));
        TransactionMode mode = SqliteOptions.transactionMode(definition.getAttribute(SqliteOptions.TRANSACTION_MODE));
        return begin(readOnly, mode == null ? defaultMode : mode,
                positive(definition.getAttribute(TransactionDefinition.LOCK_WAIT_TIMEOUT)));
    }

    private Mono<Void> begin(boolean readOnly, TransactionMode mode, Duration lockWait) {
        return Mono.defer(() -> {
            Tx t;
            synchronized (lock) {
                if (closed) {
                    return Mono.error(closedError());
                }
                if (tx != null) {
                    return Mono.empty();
                }
                t = start(readOnly, mode);
                tx = t;
            }
            return handleOf(t, lockWait).then();
        });
    }

    /** Requests the transaction from the core; the caller holds lock. */
    private Tx start(boolean readOnly, TransactionMode mode) {
        return new Tx(readOnly, readOnly ? database.beginRead() : database.begin(mode));
    }

    /** The transaction's handle once it began, within the lock wait timeout; a failed begin clears the state. */
    private Mono<SqlClient> handleOf(Tx t, Duration lockWait) {
        Duration wait = lockWait != null ? lockWait : lockWaitTimeout;
        Mono<SqlClient> m = Mono.fromFuture(t.begun, true);
        if (wait != null) {
            m = m.timeout(wait).onErrorMap(TimeoutException.class, e -> new R2dbcTimeoutException("the "
                    + (t.readOnly ? "readers" : "writer") + " stayed busy for the lock wait timeout of " + wait, e));
        }
        // Only a caller that gives up before the transaction began abandons it: operators also cancel a source
        // that already delivered its value.
        return m.doOnError(e -> abandon(t)).doOnCancel(() -> {
            if (!t.begun.isDone()) {
                abandon(t);
            }
        }).onErrorMap(CancellationException.class, e -> t.withdrawn != null ? t.withdrawn : e)
                .onErrorMap(Exceptions::map)
                .flatMap(h -> t.aborted != null ? Mono.error(aborted(t)) : Mono.just(h));
    }

    /** Gives up a transaction whose begin failed or was abandoned: withdraws the request, or ends what began. */
    private void abandon(Tx t) {
        synchronized (lock) {
            if (tx == t) {
                tx = null;
            }
        }
        if (!t.begun.cancel(false)) {
            t.begun.thenAccept(SqliteConnection::closeHandle);
        }
    }

    /** Ends a handle without waiting: rolls a transaction back, ends a snapshot's read transaction. */
    private static void closeHandle(SqlClient h) {
        if (h instanceof Snapshot) {
            ((Snapshot) h).close();
        } else {
            ((Transaction) h).close();
        }
    }

    private static Throwable aborted(Tx t) {
        Throwable cause = Exceptions.map(t.aborted);
        String message = "the transaction is no longer open (" + cause.getMessage() + "); roll it back to go on";
        if (cause instanceof R2dbcTimeoutException) {
            return new R2dbcTimeoutException(message, null, ((R2dbcTimeoutException) cause).getErrorCode(), cause);
        }
        return new Exceptions.SqliteR2dbcException(message, null, cause);
    }

    /**
     * Commits the open transaction and releases the writer; no-op without one. Cursors of the transaction still
     * open are closed first.
     *
     * @return a mono completed on the writer thread once committed; failed with the commit's error (the
     *     transaction is then rolled back) or, when the transaction had already ended (timeout), with that cause
     */
    @Override
    public Mono<Void> commitTransaction() {
        return Mono.defer(() -> end(take(), true));
    }

    /**
     * Rolls the open transaction back and releases the writer; no-op without one.
     *
     * @return a mono completed on the writer thread once rolled back
     */
    @Override
    public Mono<Void> rollbackTransaction() {
        return Mono.defer(() -> end(take(), false));
    }

    private Tx take() {
        synchronized (lock) {
            Tx t = tx;
            tx = null;
            return t;
        }
    }

    /** Ends a transaction already taken from the connection, through its handle. */
    private Mono<Void> end(Tx t, boolean commit) {
        if (t == null) {
            return Mono.empty();
        }
        if (!t.begun.isDone()) {
            // Still waiting for the writer, so no statement ran in it: withdraw the request instead of waiting.
            t.withdrawn = new Exceptions.SqliteR2dbcException("the transaction ended before it began: it was "
                    + (closed ? "closed" : commit ? "committed" : "rolled back") + " while waiting for the "
                    + (t.readOnly ? "reader" : "writer"), null, null);
            if (t.begun.cancel(false)) {
                return Mono.empty();
            }
        }
        if (t.begun.isCompletedExceptionally()) {
            // It never began: nothing to end (its statements and its begin reported why).
            return Mono.empty();
        }
        SqlClient h = t.begun.join();
        Mono<Void> ended = Mono.fromFuture(() -> endHandle(h, commit && t.aborted == null), true)
                .onErrorMap(Exceptions::map);
        if (t.aborted != null && commit) {
            // A statement timeout ended it: the rollback it started is awaited, then the commit reports the loss.
            return ended.onErrorResume(e -> Mono.empty()).then(Mono.error(aborted(t)));
        }
        if (commit && t.readOnly && !((Snapshot) h).isActive()) {
            // The transaction timeout ended the read transaction before this commit.
            return ended.onErrorResume(e -> Mono.empty()).then(Mono.error(new Exceptions.SqliteR2dbcException(
                    "cannot commit: the read-only transaction has already ended (transaction timeout)", null, null)));
        }
        return ended;
    }

    /** Commits or rolls back a transaction handle; a snapshot just ends its read transaction. */
    private static CompletableFuture<Void> endHandle(SqlClient h, boolean commit) {
        if (h instanceof Snapshot) {
            return ((Snapshot) h).closeAsync();
        }
        Transaction x = (Transaction) h;
        return commit ? x.commit() : x.rollback();
    }

    /**
     * Whether statements commit one by one: the mode set by {@link #setAutoCommit(boolean)} with no transaction
     * open.
     *
     * @return {@code true} in auto-commit mode
     */
    @Override
    public boolean isAutoCommit() {
        synchronized (lock) {
            return autoCommit && tx == null;
        }
    }

    /**
     * Sets the auto-commit mode. Switching it on commits the open transaction; switching it off makes the next
     * statement begin a transaction (lazily, so an idle connection never holds the writer).
     *
     * @param autoCommit the mode
     * @return a mono completed once the mode is set (on the writer thread when a commit was needed)
     */
    @Override
    public Mono<Void> setAutoCommit(boolean autoCommit) {
        return Mono.defer(() -> {
            Tx t = null;
            synchronized (lock) {
                boolean effective = this.autoCommit && tx == null;
                this.autoCommit = autoCommit;
                if (effective == autoCommit) {
                    return Mono.empty();
                }
                if (autoCommit) {
                    t = tx;
                    tx = null;
                }
            }
            return end(t, true);
        });
    }

    /**
     * Creates a savepoint, beginning a transaction first when none is open.
     *
     * @param name the savepoint name (quoted as an identifier)
     * @return a mono completed on the writer thread
     */
    @Override
    public Mono<Void> createSavepoint(String name) {
        requireArgument(name, "name");
        return Mono.defer(() -> {
            Tx t;
            synchronized (lock) {
                if (closed) {
                    return Mono.error(closedError());
                }
                if (tx == null) {
                    tx = start(false, defaultMode);
                }
                t = tx;
            }
            return script(t, "SAVEPOINT " + SqlText.quoteIdentifier(name));
        });
    }

    /**
     * Releases a savepoint: its changes become part of the enclosing transaction.
     *
     * @param name the savepoint name
     * @return a mono completed on the writer thread; failed when no transaction is open or SQLite knows no such
     *     savepoint
     */
    @Override
    public Mono<Void> releaseSavepoint(String name) {
        requireArgument(name, "name");
        return Mono.defer(() -> script(current(), "RELEASE " + SqlText.quoteIdentifier(name)));
    }

    /**
     * Rolls back to a savepoint, which stays in place; the transaction stays open.
     *
     * @param name the savepoint name
     * @return a mono completed on the writer thread
     */
    @Override
    public Mono<Void> rollbackTransactionToSavepoint(String name) {
        requireArgument(name, "name");
        return Mono.defer(() -> script(current(), "ROLLBACK TO " + SqlText.quoteIdentifier(name)));
    }

    private Tx current() {
        synchronized (lock) {
            return tx;
        }
    }

    private Mono<Void> script(Tx t, String sql) {
        if (t == null) {
            return Mono.error(new Exceptions.SqliteR2dbcException("no transaction is open", sql, null));
        }
        if (t.readOnly) {
            return Mono.error(new Exceptions.SqliteR2dbcException("savepoints need a read-write transaction", sql,
                    null));
        }
        // The handle's own savepoints are scoped to a function; R2DBC's are named and ended by the caller, so they
        // are sent as SQL through the handle, which runs them inside its transaction.
        return handleOf(t, null).flatMap(h -> timed(t, () -> h.executeScript(sql))).then();
    }

    /**
     * SQLite runs every transaction serializably.
     *
     * @return {@link IsolationLevel#SERIALIZABLE}
     */
    @Override
    public IsolationLevel getTransactionIsolationLevel() {
        return IsolationLevel.SERIALIZABLE;
    }

    /**
     * Accepts any level without change: SQLite's serializable transactions satisfy each of them.
     *
     * @param isolationLevel the level wanted
     * @return an empty mono
     */
    @Override
    public Mono<Void> setTransactionIsolationLevel(IsolationLevel isolationLevel) {
        requireArgument(isolationLevel, "isolationLevel");
        return Mono.empty();
    }

    /**
     * Sets how long a transaction may wait for the writer when it begins.
     *
     * @param timeout the wait; zero for no limit beyond the database's acquire timeout
     * @return an empty mono
     */
    @Override
    public Mono<Void> setLockWaitTimeout(Duration timeout) {
        requireArgument(timeout, "timeout");
        lockWaitTimeout = positive(timeout);
        return Mono.empty();
    }

    /**
     * Sets the statement timeout, applied as a sqlite-async {@link Deadline} to each round trip of each later
     * statement: the wait for a connection, execution, and every fetch of a batch of rows.
     *
     * @param timeout the timeout; zero for none
     * @return an empty mono
     */
    @Override
    public Mono<Void> setStatementTimeout(Duration timeout) {
        requireArgument(timeout, "timeout");
        statementTimeout = positive(timeout);
        return Mono.empty();
    }

    // ---------------------------------------------------------------- statements

    /**
     * Creates a batch of SQL statements without parameters.
     *
     * @return a new batch
     */
    @Override
    public Batch createBatch() {
        return new SqliteBatch(this);
    }

    /**
     * Creates a statement: one SQL statement, or several separated by semicolons without parameters. Parameters are
     * written {@code ?}, {@code ?NNN}, {@code :name}, {@code @name} or {@code $name}.
     *
     * @param sql the SQL text
     * @return a new statement
     * @throws IllegalArgumentException if {@code sql} is {@code null}
     */
    @Override
    public Statement createStatement(String sql) {
        requireArgument(sql, "sql");
        return new SqliteStatement(this, sql);
    }

    /** Runs statements in order and emits one result each; see the class comment for where each runs. */
    Flux<Result> run(List<Unit> units, int fetchSize) {
        return Flux.defer(() -> {
            if (closed) {
                return Flux.error(closedError());
            }
            for (Unit u : units) {
                if (u.kind() == SqlStatement.Kind.CONTROL) {
                    return Flux.error(new Exceptions.SqliteR2dbcException("transaction control in SQL text: use"
                            + " Connection.beginTransaction, commitTransaction, rollbackTransaction and the"
                            + " savepoint methods, which hold the single writer for the transaction", u.sql(), null));
                }
            }
            return Flux.fromIterable(units).concatMap(SqliteConnection::resolve).collectList().flatMapMany(list -> {
                Tx t;
                synchronized (lock) {
                    if (tx == null && !autoCommit) {
                        tx = start(false, defaultMode);
                    }
                    t = tx;
                }
                if (t != null) {
                    return handleOf(t, null).flatMapMany(h -> Flux.fromIterable(list)
                            .concatMap(u -> inTransaction(t, h, u, fetchSize)));
                }
                return autoCommit(list, fetchSize);
            });
        });
    }

    private Mono<Result> inTransaction(Tx t, SqlClient h, Unit u, int fetchSize) {
        if (t.aborted != null) {
            return Mono.error(aborted(t));
        }
        if (u.kind() == SqlStatement.Kind.WRITE) {
            if (t.readOnly) {
                return Mono.error(new R2dbcPermissionDeniedException("a read-only transaction cannot write: it holds"
                        + " a reader's snapshot, not the writer", null, 0, u.sql()));
            }
            return timed(t, () -> h.execute(u.sql(), u.args()))
                    .map(r -> SqliteResult.updateCount(r.rowsUpdated()));
        }
        return streaming(t, () -> h.cursor(u.sql(), u.args()), fetchSize, u.kind() == SqlStatement.Kind.WRITE_ROWS,
                null);
    }

    private Flux<Result> autoCommit(List<Unit> list, int fetchSize) {
        boolean reads = list.stream().allMatch(u -> u.kind() == SqlStatement.Kind.QUERY);
        if (reads) {
            return Flux.fromIterable(list).concatMap(u -> streaming(null, () -> database.cursor(u.sql(), u.args()),
                    fetchSize, false, cursors));
        }
        if (list.size() == 1 && list.get(0).kind() == SqlStatement.Kind.WRITE) {
            Unit u = list.get(0);
            return timed(() -> database.execute(u.sql(), u.args()))
                    .map(r -> (Result) SqliteResult.updateCount(r.rowsUpdated())).flux();
        }
        return timed(() -> database.transaction(defaultMode, x -> {
            CompletableFuture<List<Result>> acc = CompletableFuture.completedFuture(new ArrayList<>());
            for (Unit u : list) {
                acc = acc.thenCompose(results -> step(x, u).thenApply(r -> {
                    results.add(r);
                    return results;
                }));
            }
            return acc;
        })).flatMapIterable(results -> results);
    }

    private static CompletableFuture<Result> step(Transaction x, Unit u) {
        if (u.kind() == SqlStatement.Kind.WRITE) {
            return x.execute(u.sql(), u.args()).thenApply(r -> SqliteResult.updateCount(r.rowsUpdated()));
        }
        return x.fetchAll(u.sql(), u.args()).thenApply(rows -> {
            SqliteRowMetadata md = rows.isEmpty() ? null : new SqliteRowMetadata(rows.get(0).metadata());
            Flux<io.r2dbc.spi.Row> flux = Flux.fromIterable(rows).map(r -> new SqliteRow(r, md));
            return SqliteResult.rows(flux, () -> { }, u.kind() == SqlStatement.Kind.WRITE_ROWS);
        });
    }

    /**
     * Rows of a cursor, fetched {@code n} at a time as demand arrives: one batch is consumed while at most the next
     * is stepped, so memory stays bounded whatever the subscriber's pace. A query's cursor opens only when its rows
     * are subscribed, so a result nobody reads holds no statement open (a pooled connection would otherwise keep a
     * read transaction, and with it the WAL, alive); DML with RETURNING runs at once, in statement order.
     */
    private Mono<Result> streaming(Tx t, Supplier<CompletableFuture<Cursor>> open, int n, boolean write,
            Set<Cursor> owner) {
        if (!write) {
            return Mono.just(SqliteResult.rows(opened(t, open).flatMapMany(c -> rows(t, c, n, owner)), () -> { },
                    false));
        }
        return opened(t, open).map(c -> SqliteResult.rows(rows(t, c, n, owner), () -> discard(c, owner), true));
    }

    private Mono<Cursor> opened(Tx t, Supplier<CompletableFuture<Cursor>> open) {
        return Mono.defer(() -> {
            if (closed) {
                // A query's cursor opens only when its rows are wanted: not on a connection closed meanwhile.
                return Mono.error(closedError());
            }
            CompletableFuture<Cursor> f = t == null ? timedFuture(open) : inTransaction(t, open);
            // A cursor that opened just as the subscriber left must still be closed.
            return Mono.fromFuture(f, t != null).doOnCancel(() -> f.thenAccept(Cursor::close))
                    .onErrorMap(Exceptions::map);
        });
    }

    private Flux<io.r2dbc.spi.Row> rows(Tx t, Cursor cursor, int n, Set<Cursor> owner) {
        if (owner != null) {
            owner.add(cursor);
        }
        SqliteRowMetadata md = new SqliteRowMetadata(cursor.metadata());
        return timed(t, () -> cursor.fetchMany(n))
                .repeat()
                .takeUntil(batch -> batch.size() < n)
                .concatMapIterable(batch -> batch, 1)
                .map(r -> (io.r2dbc.spi.Row) new SqliteRow(r, md))
                .doFinally(signal -> discard(cursor, owner));
    }

    /**
     * Closes a cursor its result is done with. An auto-commit cursor is closed by whoever removes it from the
     * connection's set first (the result, or the connection's close); a transaction's, which the core closes when the
     * transaction ends, is closed here at once.
     */
    private static void discard(Cursor cursor, Set<Cursor> owner) {
        if (owner == null || owner.remove(cursor)) {
            cursor.close();
        }
    }

    /** Submits a core call under the statement timeout; cancelling the mono cancels the call. */
    private <T> Mono<T> timed(Supplier<CompletableFuture<T>> call) {
        return Mono.fromFuture(() -> timedFuture(call), false).onErrorMap(Exceptions::map);
    }

    /**
     * Submits a call of transaction {@code t} (or, without one, as {@link #timed(Supplier)}). Stopping a running
     * statement makes SQLite (and the core) roll the whole transaction back while the core's transaction stays
     * usable, so later statements would run, and commit, one by one. Hence inside a transaction cancelling does not
     * stop a call already sent (it completes and its result is dropped), and a statement timeout ends the
     * transaction: later statements and the commit fail until it is rolled back.
     */
    private <T> Mono<T> timed(Tx t, Supplier<CompletableFuture<T>> call) {
        if (t == null) {
            return timed(call);
        }
        return Mono.fromFuture(() -> inTransaction(t, call), true).onErrorMap(Exceptions::map);
    }

    private <T> CompletableFuture<T> inTransaction(Tx t, Supplier<CompletableFuture<T>> call) {
        // The caller sees the outcome only after stop() ran (a dependent, not a sibling callback: siblings run in no
        // guaranteed order), so a statement sent right after a timeout already finds the transaction ended.
        return timedFuture(call).whenComplete((v, e) -> {
            if (e != null && Exceptions.unwrap(e) instanceof SqliteTimeoutException) {
                stop(t, Exceptions.unwrap(e));
            }
        });
    }

    /**
     * Ends transaction {@code t} after a statement of it timed out (SQLite may have rolled it back already): rolls the
     * handle back, which gives the writer back, and keeps the cause for its later statements and commit. The
     * transaction stays the connection's current one until the caller ends it.
     */
    private static void stop(Tx t, Throwable cause) {
        if (t.aborted != null) {
            return;
        }
        t.aborted = cause;
        t.begun.thenAccept(SqliteConnection::closeHandle);
    }

    private <T> CompletableFuture<T> timedFuture(Supplier<CompletableFuture<T>> call) {
        Duration timeout = statementTimeout;
        return timeout == null ? call.get() : Deadline.within(timeout, call);
    }

    /** Collects Blob and Clob values into bytes and text before the statement is submitted. */
    private static Mono<Unit> resolve(Unit u) {
        Object[] args = u.args();
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof io.r2dbc.spi.Blob || args[i] instanceof io.r2dbc.spi.Clob) {
                pending.add(i);
            }
        }
        if (pending.isEmpty()) {
            return Mono.just(u);
        }
        Object[] copy = args.clone();
        return Flux.fromIterable(pending).concatMap(i -> Lobs.collect(args[i]).doOnNext(v -> copy[i] = v))
                .then(Mono.fromSupplier(() -> new Unit(u.kind(), u.sql(), copy)));
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Checks the connection: {@link ValidationDepth#LOCAL} looks at its state, {@link ValidationDepth#REMOTE} also
     * runs {@code SELECT 1} (inside the open transaction, if any).
     *
     * @param depth how deep
     * @return a mono of {@code true} when usable, completed on a worker thread for REMOTE
     */
    @Override
    public Mono<Boolean> validate(ValidationDepth depth) {
        requireArgument(depth, "depth");
        return Mono.defer(() -> {
            if (closed || database.isClosed()) {
                return Mono.just(false);
            }
            if (depth == ValidationDepth.LOCAL) {
                return Mono.just(true);
            }
            Tx t = current();
            Mono<List<Row>> probe = t == null
                    ? timed(() -> database.fetchAll("SELECT 1"))
                    : handleOf(t, null).flatMap(h -> timed(t, () -> h.fetchAll("SELECT 1")));
            return probe.map(rows -> rows.size() == 1).onErrorReturn(false);
        });
    }

    /**
     * Describes the database.
     *
     * @return product {@code SQLite} and the SQLite library version
     */
    @Override
    public ConnectionMetadata getMetadata() {
        return new ConnectionMetadata() {
            @Override
            public String getDatabaseProductName() {
                return "SQLite";
            }

            @Override
            public String getDatabaseVersion() {
                return version;
            }
        };
    }

    /**
     * Closes the connection: rolls back its open transaction (releasing the writer) and closes its open cursors.
     * The shared database stays open for the factory's other connections. Idempotent.
     *
     * @return a mono completed once the transaction, if any, rolled back
     */
    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            Tx t;
            synchronized (lock) {
                if (closed) {
                    return Mono.empty();
                }
                closed = true;
                t = tx;
                tx = null;
            }
            for (Cursor c : cursors) {
                discard(c, cursors);
            }
            return end(t, false).onErrorResume(e -> Mono.empty());
        });
    }

    /**
     * The shared database behind this connection, for calls outside R2DBC.
     *
     * @return the database
     */
    public Database database() {
        return database;
    }

    private static R2dbcNonTransientResourceException closedError() {
        return new R2dbcNonTransientResourceException("the connection is closed");
    }

    static void requireArgument(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    private static Duration positive(Duration d) {
        return d == null || d.isZero() || d.isNegative() ? null : d;
    }

    @Override
    public String toString() {
        return "SqliteConnection[" + database + (isAutoCommit() ? ", auto-commit" : ", in transaction")
                + (closed ? ", closed]" : "]");
    }
}
