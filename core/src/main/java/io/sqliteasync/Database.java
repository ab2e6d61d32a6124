package io.sqliteasync;

import io.sqliteasync.internal.pool.AsyncPool;
import io.sqliteasync.internal.worker.Backups;
import io.sqliteasync.internal.sql.SqlText;
import io.sqliteasync.internal.worker.CallContext;
import io.sqliteasync.internal.worker.ConnectionWorker;
import io.sqliteasync.internal.worker.DeadlineScope;
import io.sqliteasync.internal.worker.CursorState;
import io.sqliteasync.internal.worker.Errors;
import io.sqliteasync.internal.worker.Job;
import io.sqliteasync.internal.worker.Session;
import io.sqliteasync.internal.worker.ShutdownDrain;
import io.sqliteasync.internal.worker.SqliteFuture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A SQLite database served by one writer connection and several reader connections in WAL mode, so that reads run
 * in parallel with each other and with the writer, and concurrent writers never see "database is locked".
 *
 * <p>A {@code Database} is a {@link SqlClient}: every query method is documented there; this class decides where each
 * call runs.
 *
 * <p><b>Routing.</b> {@link #fetchAll}, {@link #fetchOne}, {@link #fetchOptional}, {@link #cursor}, {@link #stream},
 * {@link #read(Function)} and {@link #beginRead()} go to readers, which run with {@code PRAGMA query_only = 1}: a
 * write sent there fails with a message that says to use {@link #execute} or {@link #transaction(Function)}. {@link #execute},
 * {@link #executeMany}, {@link #executeScript}, {@link #transaction(Function)}, {@link #begin()} and {@link #checkpoint}
 * go to the single writer. Inside one of this database's own transactions, those writer calls fail at once with
 * {@link SqliteDeadlockException} (write through the {@link Transaction} handle there).
 *
 * <p><b>The writer queue.</b> The writer is held by one caller at a time, granted in strict request order (a fair,
 * asynchronous queue: no thread blocks waiting in it). A plain write holds it for one command; a transaction holds it
 * from {@code BEGIN} until it commits or rolls back, and its {@link Transaction} handle bypasses the queue while plain
 * writes wait behind it. Because only this one connection writes, and transactions begin with
 * {@code BEGIN IMMEDIATE}, writers of this process never meet {@code SQLITE_BUSY}; another process writing the same
 * file is waited for by SQLite's busy timeout ({@link DatabaseOptions#busyTimeout()}, default 5 s), and
 * {@code BEGIN IMMEDIATE} takes the lock up front so a transaction never fails half-way on a lock upgrade.
 *
 * <p><b>Group commit.</b> With {@link DatabaseOptions.Builder#groupCommit(boolean)} on, plain writes ({@link #execute},
 * {@link #executeMany}, {@link #executeScript}) that queue for the writer while it is busy run back to back in one
 * transaction with one {@code COMMIT}; each future still completes only once its write is committed, a failing
 * write fails alone, and a failing {@code COMMIT} fails them all. A lone write runs alone, as without group commit.
 * {@link #transaction(Function)} units ({@code DEFERRED} and {@code IMMEDIATE}) are grouped too, each in a savepoint
 * of its own that a failure rolls back alone; {@link #begin()} handles, {@code EXCLUSIVE} transactions and writes that
 * cannot run inside a transaction are not grouped. See {@code docs/architecture.md}.
 *
 * <p><b>Readers.</b> A plain query leases an idle reader for one command; {@link #read(Function)} and
 * {@link #beginRead()} lease one for a consistent snapshot. {@link #cursor} and {@link #stream} do not lease: they run on a reader chosen round-robin,
 * queued behind that reader's other commands, and see one consistent state for as long as they are open (an open
 * cursor keeps its read transaction, which also keeps checkpoints from recycling the WAL: close cursors promptly).
 *
 * <p><b>Threading.</b> Every method returns at once. Futures complete on the worker thread of the connection that
 * ran the command (named {@code sqlite-async-writer-<n>} or {@code sqlite-async-reader-<n>.<i>}), or on
 * {@link DatabaseOptions#completionExecutor()} when set; dependent stages attached with non-async methods therefore
 * run on a worker and must not block. A call that waited in a queue for a connection may also complete on the thread
 * that released the connection, or, when its wait timed out, on the JDK's delay scheduler thread. Nothing here ever
 * blocks a worker thread waiting for the pool.
 *
 * <p><b>Cancellation.</b> Cancelling a future that still waits for a connection withdraws it from the queue;
 * cancelling a transaction's future rolls the transaction back.
 *
 * <p><b>One shared connection.</b> {@code :memory:} (and other in-memory URIs), and files on which SQLite refuses
 * WAL, cannot be shared by several connections. Such a database is served by the writer alone, transparently: reads
 * queue for it in the same fair queue as writes (so a read never sees a transaction in progress), and plain reads and
 * {@code read(fn)} switch {@code query_only} on while they run, so writes sent to them fail the same way. Reads then
 * do not run in parallel; {@link #isWal()} says which mode is in use. {@link #cursor} and {@link #stream} run on the
 * shared connection without queueing, so they can see the writes of a transaction in progress; they start their
 * query with {@code query_only} on too.
 *
 * <p><b>Deadlines and context.</b> A {@link Deadline} in force when a call is made covers its wait for a connection
 * and its execution; the caller's registered context ({@link ContextPropagation}) is captured at the call and
 * installed on the worker. For {@link #transaction(Function)} and {@link #read(Function)} the deadline covers the wait
 * for the connection, {@code BEGIN}, and the statements the function makes while its first part runs on the worker;
 * the scope as a whole is bounded by {@link DatabaseOptions#transactionTimeout()}. Inside a transaction, a statement
 * whose failure made SQLite roll the transaction back (an interrupted write, {@code SQLITE_FULL}, ...) ends the
 * transaction: later statements of its handle fail and the transaction fails.
 *
 * <p><b>Checkpoints.</b> The default policy is SQLite's own: after a commit that leaves the WAL over 1000 pages
 * ({@code PRAGMA wal_autocheckpoint}, which may be changed through {@link DatabaseOptions#pragmas()}) the writer runs
 * a PASSIVE checkpoint, and when the database closes the writer, closed last, checkpoints fully and removes the WAL.
 * {@link #checkpoint(CheckpointMode)} runs one on demand, through the writer queue.
 *
 * <p><b>Close.</b> {@link #close()} stops accepting calls (they fail with {@link SqliteClosedException}), waits
 * until the calls and transactions already queued have finished, then closes the readers and the writer.
 */
public final class Database extends AbstractSqlClient implements AutoCloseable {
    private static final Object[] NO_ARGS = new Object[0];
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final DatabaseOptions options;
    private final AsyncConnection writer;
    private final List<AsyncConnection> readers;
    private final AsyncPool<ConnectionWorker> writerPool;
    /** The writer pool itself when one connection serves everything. */
    private final AsyncPool<ConnectionWorker> readerPool;
    private final boolean wal;
    private final AtomicInteger nextCursorReader = new AtomicInteger();
    private final AtomicLong transactionTimeouts = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closeDone = new CompletableFuture<>();
    private final BlockingDatabase blocking;
    private final Listeners listeners;
    /** Groups plain writes into shared commits; {@code null} when group commit is off. */
    private final GroupCommit groupCommit;

    private Database(DatabaseOptions options, AsyncConnection writer, List<AsyncConnection> readers) {
        this.options = options;
        this.writer = writer;
        this.readers = List.copyOf(readers);
        this.wal = !readers.isEmpty();
        this.writerPool = new AsyncPool<>("the writer", List.of(writer.worker()));
        List<ConnectionWorker> rw = new ArrayList<>();
        for (AsyncConnection r : readers) {
            rw.add(r.worker());
        }
        this.readerPool = wal ? new AsyncPool<>("a reader", rw) : writerPool;
        this.blocking = new BlockingDatabase(this);
        this.listeners = new Listeners(options.listener());
        this.groupCommit = options.groupCommit() ? new GroupCommit(writerPool, options.groupCommitMaxBatch()) : null;
    }

    /**
     * Opens a database with default options.
     *
     * @param path a file path, {@code ":memory:"} or a {@code file:} URI, or a
     *     {@code dqlite://host:port,host:port/name} URL of a dqlite cluster (needs {@code sqlite-async-dqlite} on the
     *     class path; see docs/dqlite.md)
     * @return a future completed with the open database, see {@link #open(DatabaseOptions)}
     */
    public static CompletableFuture<Database> open(String path) {
        return open(DatabaseOptions.of(path));
    }

    /**
     * Opens a database: the writer first (it switches the file to WAL), then the readers in parallel, each with the
     * setup described in {@link DatabaseOptions}.
     *
     * @param options the settings
     * @return a future completed on a worker thread once every connection is ready, or failed with a
     *     {@link SqliteException}; a failed open closes every connection it opened
     */
    public static CompletableFuture<Database> open(DatabaseOptions options) {
        Objects.requireNonNull(options, "options");
        int id = COUNTER.incrementAndGet();
        CompletableFuture<Database> result = new SqliteFuture<>();
        List<AsyncConnection> opened = new ArrayList<>();
        AsyncConnection.open(connectionOptions(options, "writer", id, 0))
                .thenCompose(w -> {
                    synchronized (opened) {
                        opened.add(w);
                    }
                    return w.worker().submit(s -> {
                        List<Row> mode = s.query("PRAGMA journal_mode = WAL", NO_ARGS, 1);
                        initialize(options, s, true);
                        return !mode.isEmpty() && "wal".equalsIgnoreCase(mode.get(0).getString(0));
                    }, "PRAGMA journal_mode = WAL").thenCompose(isWal -> {
                        if (!isWal) {
                            return CompletableFuture.completedFuture(new Database(options, w, List.of()));
                        }
                        List<CompletableFuture<AsyncConnection>> rs = new ArrayList<>();
                        for (int i = 1; i <= options.readers(); i++) {
                            rs.add(AsyncConnection.open(connectionOptions(options, "reader", id, i))
                                    .thenCompose(r -> {
                                        synchronized (opened) {
                                            opened.add(r);
                                        }
                                        return r.worker().submit(s -> {
                                            initialize(options, s, false);
                                            s.executeScript("PRAGMA query_only = 1");
                                            return r;
                                        }, null);
                                    }));
                        }
                        return CompletableFuture.allOf(rs.toArray(new CompletableFuture<?>[0])).thenApply(x -> {
                            List<AsyncConnection> list = new ArrayList<>();
                            for (CompletableFuture<AsyncConnection> f : rs) {
                                list.add(f.join());
                            }
                            return new Database(options, w, list);
                        });
                    });
                })
                .whenComplete((db, e) -> {
                    if (e == null) {
                        // At JVM exit the database is drained as a whole, so that calls waiting for its writer or
                        // a reader run before their connection closes; its connections leave the per-connection drain.
                        ShutdownDrain.Entry drain = ShutdownDrain.track("database " + options.path(),
                                options.shutdownDrainTimeout(), db::closeAsync);
                        db.closeDone.whenComplete((x, t) -> drain.untrack());
                        db.writer.worker().untrackForShutdown();
                        for (AsyncConnection r : db.readers) {
                            r.worker().untrackForShutdown();
                        }
                        result.complete(db);
                        return;
                    }
                    List<AsyncConnection> toClose;
                    synchronized (opened) {
                        toClose = new ArrayList<>(opened);
                    }
                    for (AsyncConnection c : toClose) {
                        c.closeAsync();
                    }
                    result.completeExceptionally(Errors.map(e, null));
                });
        return result;
    }

    private static ConnectionOptions connectionOptions(DatabaseOptions o, String role, int id, int reader) {
        ConnectionOptions c = o.connection();
        String prefix = c.workerThreadName();
        String name = prefix != null
                ? prefix + "-" + role + (reader > 0 ? "-" + reader : "")
                : "sqlite-async-" + role + "-" + id + (reader > 0 ? "." + reader : "");
        // The database's own pragmas first, then the user's: toBuilder keeps every other connection setting.
        // The database reports its calls itself; its connections' own listener would see only internal work.
        ConnectionOptions.Builder b = c.toBuilder()
                .listener(null)
                .clearPragmas()
                .workerThreadName(name)
                .pragma("foreign_keys", "ON")
                .pragma("synchronous", o.synchronous())
                .pragma("temp_store", o.tempStore())
                .pragma("cache_size", Integer.toString(o.cacheSize()));
        for (Map.Entry<String, String> p : c.pragmas().entrySet()) {
            b.pragma(p.getKey(), p.getValue());
        }
        return b.build();
    }

    private static void initialize(DatabaseOptions o, Session s, boolean writer) throws Exception {
        // Only an initializer needs the raw JDBC connection, which an engine without one (dqlite) cannot give.
        if (o.initializer() != null) {
            o.initializer().initialize(s.connection(), writer);
        }
    }

    /**
     * The settings this database was opened with.
     *
     * @return the options
     */
    public DatabaseOptions options() {
        return options;
    }

    /**
     * Whether the database runs in WAL mode with separate readers, or on one shared connection.
     *
     * @return {@code true} for WAL with readers
     */
    public boolean isWal() {
        return wal;
    }

    /**
     * The number of reader connections.
     *
     * @return the count, {@code 0} when one shared connection serves everything
     */
    public int readerCount() {
        return readers.size();
    }

    /**
     * Adds a listener told of every call made from now on through this database, its transactions, snapshots,
     * cursors, streams and blocking view, after the one of {@link DatabaseOptions#listener()} and those added before.
     * Any thread; see {@link CallListener} for the threads its callbacks run on. This is how a metrics binder
     * attaches to a database opened elsewhere (by an R2DBC connection factory, say).
     *
     * @param listener the listener
     */
    public void addListener(CallListener listener) {
        listeners.add(listener);
    }

    /**
     * Removes a listener added with {@link #addListener} (or set in the options); calls already made may still
     * report to it. Any thread.
     *
     * @param listener the listener
     * @return whether it was there
     */
    public boolean removeListener(CallListener listener) {
        return listeners.remove(listener);
    }

    // ------------------------------------------------------------------ routing of the SqlClient surface

    @Override
    CallListener listener() {
        return listeners.get();
    }

    /** Writes go to the writer; reads to the readers, or to the writer when it is the only connection. */
    @Override
    CallEvent.Role role(Kind kind) {
        return kind.writes() || !wal ? CallEvent.Role.WRITER : CallEvent.Role.READER;
    }

    /**
     * Closed, transaction control through {@link #execute}/{@link #executeMany}, and a call that would wait for the
     * writer held by a transaction this very code runs in: writes always, and reads too on one shared connection.
     */
    @Override
    SqliteException refuse(Kind kind, String method, String sql) {
        if (closed.get()) {
            return closedError();
        }
        if ((kind == Kind.EXECUTE || kind == Kind.BATCH) && SqlText.isTransactionControl(sql)) {
            return controlMisuse(sql);
        }
        if (kind.writes() || (!wal && kind == Kind.QUERY)) {
            return Transaction.insideOwnTransaction(this, "Database." + method, sql);
        }
        return null;
    }

    /** Writes lease the writer for one command, queued fairly behind earlier writes and open transactions. */
    @Override
    <T> CompletableFuture<T> write(Job<T> job, String sql) {
        if (groupCommit != null && GroupCommit.groupable(sql)) {
            if (closed.get()) {
                return SqliteFuture.failed(closedError());
            }
            return groupCommit.submit(job, sql, acquireTimeout(DeadlineScope.current()));
        }
        return leased(writerPool, job, sql);
    }

    /** A script that fails inside, or leaves open, its own transaction is rolled back, so the writer stays clean. */
    @Override
    Job<Void> scriptJob(String sql) {
        if (groupCommit != null && GroupCommit.groupable(sql)) {
            // Grouped, it runs inside the batch's transaction; without transaction control it cannot leave one open.
            return s -> {
                s.executeScript(sql);
                return null;
            };
        }
        return s -> {
            try {
                s.executeScript(sql);
            } catch (RuntimeException e) {
                // SQLite stops at the failing statement: a BEGIN before it would leave the writer in a transaction
                // that every later plain write joins and nothing ever commits.
                try {
                    if (s.inTransaction()) {
                        s.rollback();
                    }
                } catch (RuntimeException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
            if (s.inTransaction()) {
                s.rollback();
                throw new SqliteException("the script left a transaction open (BEGIN without COMMIT); it was rolled"
                        + " back: end it in the script or use transaction(fn)", SqliteException.SQLITE_MISUSE, sql,
                        null);
            }
            return null;
        };
    }

    /** Queries lease an idle reader for one command (the writer, read-only meanwhile, on one shared connection). */
    @Override
    <T> CompletableFuture<T> read(Job<T> job, String sql) {
        Job<T> guarded = wal ? s -> {
            try {
                return job.run(s);
            } catch (Exception e) {
                throw readerError(e, sql);
            }
        } : s -> {
            s.executeScript("PRAGMA query_only = 1");
            try {
                return job.run(s);
            } catch (Exception e) {
                throw readerError(e, sql);
            } finally {
                s.executeScript("PRAGMA query_only = 0");
            }
        };
        return leased(readerPool, guarded, sql);
    }

    /** Cursors and streams do not lease: a reader chosen round-robin, or the one shared connection. */
    @Override
    ConnectionWorker cursorWorker() {
        if (!wal) {
            return writer.worker();
        }
        int i = Math.floorMod(nextCursorReader.getAndIncrement(), readers.size());
        return readers.get(i).worker();
    }

    @Override
    void openCursor(io.sqliteasync.internal.worker.Session s, CursorState state, String sql) {
        try {
            if (wal) {
                s.openCursor(state);
            } else {
                s.openCursorQueryOnly(state);
            }
        } catch (RuntimeException e) {
            throw readerError(e, sql);
        }
    }

    @Override
    Flow.Publisher<Row> publisher(ConnectionWorker w, String sql, Object[] args, Runnable onOpen) {
        return new io.sqliteasync.internal.worker.RowPublisher(w, sql, args, options.prefetch(), !wal, onOpen);
    }

    // ------------------------------------------------------------------ scopes

    /**
     * Leases one reader and runs {@code fn} with a {@link Snapshot} of the database: every query through it sees
     * the same committed state, taken when the lease begins (one read transaction), whatever the writer commits
     * meanwhile. The reader is returned when the stage that {@code fn} returns completes.
     *
     * @param fn the reads, run on the reader's thread; it must not block there
     * @param <T> the result type
     * @return a future completed on the reader's thread (or the completion executor) with the stage's value, or
     *     failed with what failed it; {@link SqliteTimeoutException} when no reader was free within the acquire
     *     timeout or the scope outlived the transaction timeout. Cancelling it ends the scope.
     */
    public <T> CompletableFuture<T> read(Function<? super Snapshot, ? extends CompletionStage<T>> fn) {
        Objects.requireNonNull(fn, "fn");
        if (!wal) {
            SqliteException inside = Transaction.insideOwnTransaction(this, "Database.read", null);
            if (inside != null) {
                return SqliteFuture.failed(inside);
            }
        }
        return this.<T>leaseAndBegin(readerPool, readBegin(), true, (w, out) -> {
            Scope scope = new Scope(null, "read scope");
            Snapshot snapshot = new Snapshot(w, scope, !wal, listeners);
            Scope.run(scope, snapshot, fn, out, snapshot::end, options.transactionTimeout(), () -> {
                // Refuse further statements at once; the end job follows in the queue.
                scope.end();
                transactionTimeouts.incrementAndGet();
            }, "read scope", complete -> readerPool.release(w, complete));
        });
    }

    /**
     * Leases one reader and begins a read transaction on it, as {@link #read(Function)} does, but hands back the
     * {@link Snapshot} itself, held across calls until {@link Snapshot#close()} or {@link Snapshot#closeAsync()} (use
     * try-with-resources). Every query through it sees the same committed state, taken when the lease begins. The
     * read transaction also ends, and the reader goes back, when the snapshot stays open longer than
     * {@link DatabaseOptions#transactionTimeout()} (counted in {@link DatabaseStats#transactionTimeouts()}); later
     * calls on it then fail with a {@link SqliteException} that says so. Keep it short: an open read transaction keeps
     * checkpoints from recycling the WAL, and on one shared connection ({@link #isWal()} false) it holds the writer.
     *
     * @return a future completed, on the reader's thread or the completion executor, with the snapshot once its read
     *     transaction began; failed with {@link SqliteTimeoutException} when no reader was free within the acquire
     *     timeout (or the caller's deadline). Cancelling it before it completes withdraws the request (or ends a read
     *     transaction that began meanwhile).
     */
    public CompletableFuture<Snapshot> beginRead() {
        if (!wal) {
            SqliteException inside = Transaction.insideOwnTransaction(this, "Database.beginRead", null);
            if (inside != null) {
                return SqliteFuture.failed(inside);
            }
        }
        java.util.concurrent.Executor executor = options.completionExecutor();
        return this.<Snapshot>leaseAndBegin(readerPool, readBegin(), true, (w, out) -> {
            Snapshot snapshot = Snapshot.held(w, !wal, listeners, complete -> readerPool.release(w, complete),
                    options.transactionTimeout(), transactionTimeouts::incrementAndGet);
            Runnable give = () -> {
                if (!out.complete(snapshot)) {
                    snapshot.close();
                }
            };
            if (executor == null) {
                give.run();
                return;
            }
            try {
                executor.execute(give);
            } catch (RuntimeException rejected) {
                give.run();
            }
        });
    }

    /**
     * The SQL that begins a read scope. Reading the schema starts the read transaction now, so the snapshot is taken
     * at lease time, not at the first query the caller happens to make.
     */
    private String readBegin() {
        return wal ? "BEGIN; SELECT 1 FROM sqlite_schema LIMIT 1"
                : "PRAGMA query_only = 1; BEGIN; SELECT 1 FROM sqlite_schema LIMIT 1";
    }

    /**
     * Runs {@code fn} in a transaction begun with {@code BEGIN IMMEDIATE}; see
     * {@link #transaction(TransactionMode, Function)}.
     *
     * @param fn the work
     * @param <T> the result type
     * @return a future completed on the writer thread (or the completion executor)
     */
    public <T> CompletableFuture<T> transaction(Function<? super Transaction, ? extends CompletionStage<T>> fn) {
        return transaction(TransactionMode.IMMEDIATE, fn);
    }

    /**
     * Begins a transaction as {@link #begin(TransactionMode)} does and runs {@code fn} with its handle; commits when
     * the stage {@code fn} returns completes normally, and rolls back when {@code fn} throws, the stage fails, the
     * returned future is cancelled (which also stops the transaction's running statements), or the transaction stays
     * open longer than {@link DatabaseOptions#transactionTimeout()}. The writer is released after the commit or
     * rollback; cursors and streams left open are closed first.
     *
     * <p>With group commit on ({@link DatabaseOptions.Builder#groupCommit(boolean)}) and a mode other than
     * {@link TransactionMode#EXCLUSIVE}, the transaction is a unit of a batch: it runs in a savepoint of its own inside
     * the batch's {@code BEGIN IMMEDIATE} transaction (so {@code DEFERRED} behaves as {@code IMMEDIATE}), where
     * "commit" releases the savepoint and "roll back" rolls back to it, failing this caller alone (also for an
     * explicit {@link Transaction#commit()} or {@link Transaction#rollback()} on the handle); the returned future
     * completes only once the batch's shared {@code COMMIT} succeeded, and fails if it fails. A lone transaction still
     * forms a batch of one. {@code EXCLUSIVE} transactions run alone, as without group commit.
     *
     * <p>Inside {@code fn}, write through the handle, not through this {@code Database}: a write through the database
     * (and {@code transaction}, {@code begin}, {@code checkpoint}) made while {@code fn} runs or from a stage
     * completed by the handle fails at once with {@link SqliteDeadlockException}. Reads through the database stay
     * allowed; they run on readers and do not see the transaction's writes.
     *
     * @param mode how to begin
     * @param fn the work, run on the writer thread; it must not block there
     * @param <T> the result type
     * @return a future completed on the writer thread (or the completion executor) with the stage's value once
     *     committed; failed with what failed the stage (the transaction then rolled back), with the commit's error,
     *     or with {@link SqliteTimeoutException}. Cancelling it rolls the transaction back (or withdraws it from the
     *     queue).
     */
    public <T> CompletableFuture<T> transaction(TransactionMode mode,
            Function<? super Transaction, ? extends CompletionStage<T>> fn) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(fn, "fn");
        SqliteException refused = refuseScope("Database.transaction");
        if (refused != null) {
            return SqliteFuture.failed(refused);
        }
        if (groupCommit != null && mode != TransactionMode.EXCLUSIVE) {
            // Grouped: the unit runs in a savepoint of its own inside a batch's transaction (see GroupCommit).
            return groupCommit.<T>submitTransaction((w, savepoint, release, out) -> Transaction.run(
                    Transaction.begunInBatch(this, w, mode, savepoint, release, options.transactionTimeout(),
                            transactionTimeouts::incrementAndGet), fn, out),
                    acquireTimeout(DeadlineScope.current()));
        }
        return this.<T>leaseAndBegin(writerPool, mode.beginSql(), false,
                (w, out) -> Transaction.run(beginHandle(w, mode), fn, out));
    }

    /**
     * Begins a transaction with {@code BEGIN IMMEDIATE}; see {@link #begin(TransactionMode)}.
     *
     * @return a future completed with the handle once the transaction began
     */
    public CompletableFuture<Transaction> begin() {
        return begin(TransactionMode.IMMEDIATE);
    }

    /**
     * Waits its turn for the writer (fair, in request order), begins a transaction on it and hands back the
     * {@link Transaction} handle, which holds the writer until {@link Transaction#commit()},
     * {@link Transaction#rollback()} or {@link Transaction#close()} (use try-with-resources), or until the transaction
     * stays open longer than {@link DatabaseOptions#transactionTimeout()}, which rolls it back and takes the writer
     * back. Plain writes wait behind it meanwhile.
     *
     * @param mode how to begin
     * @return a future completed, on the writer thread or the completion executor, with the handle once the
     *     transaction began; failed with {@link SqliteTimeoutException} when the writer stayed busy past the acquire
     *     timeout (or the caller's deadline), or with {@link SqliteDeadlockException} when called inside one of this
     *     database's own transactions. Cancelling it before it completes withdraws the request (or rolls back a
     *     transaction that began meanwhile).
     */
    public CompletableFuture<Transaction> begin(TransactionMode mode) {
        Objects.requireNonNull(mode, "mode");
        SqliteException refused = refuseScope("Database.begin");
        if (refused != null) {
            return SqliteFuture.failed(refused);
        }
        return this.<Transaction>leaseAndBegin(writerPool, mode.beginSql(), false,
                (w, out) -> Transaction.handOver(beginHandle(w, mode), out, options.completionExecutor()));
    }

    private SqliteException refuseScope(String call) {
        if (closed.get()) {
            return closedError();
        }
        return Transaction.insideOwnTransaction(this, call, null);
    }

    /** The handle of a transaction that has just begun on the leased writer; runs on the writer thread. */
    private Transaction beginHandle(ConnectionWorker w, TransactionMode mode) {
        return Transaction.begun(this, w, mode, complete -> writerPool.release(w, complete), () -> { },
                options.transactionTimeout(), transactionTimeouts::incrementAndGet);
    }

    /** Called on the connection's worker thread, inside the job that began the scope, once BEGIN succeeded. */
    @FunctionalInterface
    private interface Begun<T> {
        void run(ConnectionWorker worker, CompletableFuture<T> out);
    }

    /**
     * Leases a connection, runs {@code begin} on it and hands it to {@code begun}, which from then on owns the
     * connection and {@code out}. A failed or cancelled begin gives the connection back and fails {@code out}.
     */
    private <T> CompletableFuture<T> leaseAndBegin(AsyncPool<ConnectionWorker> pool, String begin, boolean snapshot,
            Begun<T> begun) {
        SqliteFuture<T> out = new SqliteFuture<>();
        CallListener l = listeners.get();
        CallEvent ev = l == null ? null : Listeners.submit(l, CallEvent.Kind.BEGIN,
                pool == writerPool ? CallEvent.Role.WRITER : CallEvent.Role.READER, begin);
        if (ev != null) {
            // Ends the BEGIN call when nothing else did: a failed or withdrawn wait for the connection.
            out.whenComplete((v, e) -> Listeners.end(l, ev, e));
        }
        if (closed.get()) {
            out.completeExceptionally(closedError());
            return out;
        }
        CallContext context = CallContext.capture();
        long deadline = DeadlineScope.current();
        sealGroup(pool);
        lease(pool, out, acquireTimeout(deadline), (w, immediate) -> {
            // Whoever claims first releases the connection: the job once it starts, or the failure of its future
            // (deadline, close) before it starts. The deadline timer may fail that future while the job runs fn;
            // the job then still owns the connection and ends the scope itself.
            AtomicBoolean claimed = new AtomicBoolean();
            // fn runs inside the job that began the scope, so it always runs on the connection's own thread.
            CompletableFuture<Void> started = start(w, immediate, s -> {
                if (!claimed.compareAndSet(false, true)) {
                    return null;
                }
                if (ev != null) {
                    Listeners.start(l, ev);
                }
                try {
                    s.executeScript(begin);
                    if (deadline != 0 && System.nanoTime() - deadline >= 0) {
                        throw new SqliteTimeoutException("the call's deadline passed", begin);
                    }
                } catch (RuntimeException failure) {
                    if (ev != null) {
                        Listeners.end(l, ev, Errors.map(failure, begin));
                    }
                    try {
                        s.rollback();
                        if (!wal && snapshot) {
                            s.executeScript("PRAGMA query_only = 0");
                        }
                    } catch (RuntimeException r) {
                        failure.addSuppressed(r);
                    }
                    pool.release(w, () -> out.completeExceptionally(Errors.map(failure, begin)));
                    return null;
                }
                if (ev != null) {
                    Listeners.end(l, ev, null);
                }
                begun.run(w, out);
                return null;
            }, begin, context, deadline);
            started.whenComplete((x, be) -> {
                if (be != null && claimed.compareAndSet(false, true)) {
                    if (ev != null) {
                        Listeners.end(l, ev, be);
                    }
                    pool.release(w, () -> out.completeExceptionally(be));
                }
            });
            // Cancelled while the BEGIN job waits in the queue: it never runs, and the connection goes back.
            out.whenComplete((v, e) -> {
                if (out.isCancelled()) {
                    started.cancel(false);
                }
            });
        });
        return out;
    }

    /**
     * Registers a scalar function on the writer and every reader; see
     * {@link AsyncConnection#createFunction(String, int, SqlScalarFunction)}. Each connection runs its own copy of
     * the callback on its own worker thread. All connections are opened by {@link #open}, so this covers every
     * connection the database will use; register before sending queries that need the function.
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any number
     * @param fn the function
     * @return a future completed once every connection has it
     */
    public CompletableFuture<Void> createFunction(String name, int nArgs, SqlScalarFunction fn) {
        return onEveryConnection(c -> c.createFunction(name, nArgs, fn));
    }

    /**
     * Registers an aggregate function on every connection; see {@link AsyncConnection#createAggregateFunction}.
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any number
     * @param factory makes one group's state
     * @return a future completed once every connection has it
     */
    public CompletableFuture<Void> createAggregateFunction(String name, int nArgs,
            java.util.function.Supplier<? extends SqlAggregate> factory) {
        return onEveryConnection(c -> c.createAggregateFunction(name, nArgs, factory));
    }

    /**
     * Registers a window function on every connection; see {@link AsyncConnection#createWindowFunction}.
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any number
     * @param factory makes one window's state
     * @return a future completed once every connection has it
     */
    public CompletableFuture<Void> createWindowFunction(String name, int nArgs,
            java.util.function.Supplier<? extends SqlWindowFunction> factory) {
        return onEveryConnection(c -> c.createWindowFunction(name, nArgs, factory));
    }

    /**
     * Registers a collation on every connection; see {@link AsyncConnection#createCollation}.
     *
     * @param name the collation name
     * @param collation the comparison
     * @return a future completed once every connection has it
     */
    public CompletableFuture<Void> createCollation(String name, SqlCollation collation) {
        return onEveryConnection(c -> c.createCollation(name, collation));
    }

    /**
     * Sets the update hook; only the writer changes rows, so it is set there.
     *
     * @param hook the hook, or {@code null} to remove it
     * @return a future completed once set
     */
    public CompletableFuture<Void> setUpdateHook(SqlUpdateHook hook) {
        return writer.setUpdateHook(hook);
    }

    /**
     * Sets the commit hook on the writer, where every write transaction commits.
     *
     * @param hook the hook, or {@code null} to remove it
     * @return a future completed once set
     */
    public CompletableFuture<Void> setCommitHook(SqlTransactionHook hook) {
        return writer.setCommitHook(hook);
    }

    /**
     * Sets the rollback hook on the writer.
     *
     * @param hook the hook, or {@code null} to remove it
     * @return a future completed once set
     */
    public CompletableFuture<Void> setRollbackHook(SqlTransactionHook hook) {
        return writer.setRollbackHook(hook);
    }

    /**
     * Sets a busy handler on every connection; see {@link AsyncConnection#setBusyHandler}.
     *
     * @param handler the handler, or {@code null} for the busy timeout
     * @return a future completed once every connection has it
     */
    public CompletableFuture<Void> setBusyHandler(SqlBusyHandler handler) {
        return onEveryConnection(c -> c.setBusyHandler(handler));
    }

    /**
     * Sets or removes a progress handler on the writer and every reader; see
     * {@link AsyncConnection#setProgressHandler}. The handler runs on each connection's worker thread, possibly on
     * several at once: it must be thread-safe.
     *
     * @param steps VM steps between calls, at least 1
     * @param handler the handler, or {@code null} to remove it
     * @return a future completed once every connection has it
     */
    public CompletableFuture<Void> setProgressHandler(int steps, SqlProgressHandler handler) {
        return onEveryConnection(c -> c.setProgressHandler(steps, handler));
    }

    /**
     * Stops whatever runs on every connection of this database now (the writer and each reader); see
     * {@link AsyncConnection#interrupt()}: each running call fails with {@code SQLITE_INTERRUPT}, queued calls and
     * calls waiting for a connection are not affected, and every connection stays usable. A transaction whose
     * running statement is interrupted stays the caller's to roll back (SQLite already rolled back an interrupted
     * write). Any thread, without waiting.
     *
     * @return how many connections had a call running
     */
    public int interrupt() {
        int n = writer.interrupt() ? 1 : 0;
        for (AsyncConnection r : readers) {
            n += r.interrupt() ? 1 : 0;
        }
        return n;
    }

    /**
     * Rows changed, inserted or deleted through this database since it opened: the writer's
     * {@code sqlite3_total_changes}, read in the writer's queue, after the calls that already hold or run on it.
     *
     * @return a future completed on the writer thread (or the completion executor) with the count
     */
    public CompletableFuture<Long> totalChanges() {
        return closed.get() ? SqliteFuture.failed(closedError()) : writer.totalChanges();
    }

    /**
     * The SQLite library version in use; see {@link AsyncConnection#sqliteVersion()}. Asked of the writer.
     *
     * @return a future completed on the writer thread (or the completion executor) with the version
     */
    public CompletableFuture<String> sqliteVersion() {
        return closed.get() ? SqliteFuture.failed(closedError()) : writer.sqliteVersion();
    }

    /**
     * The options SQLite was compiled with; see {@link AsyncConnection#compileOptions()}. Asked of the writer.
     *
     * @return a future completed on the writer thread (or the completion executor) with the options
     */
    public CompletableFuture<List<String>> compileOptions() {
        return closed.get() ? SqliteFuture.failed(closedError()) : writer.compileOptions();
    }

    private CompletableFuture<Void> onEveryConnection(Function<AsyncConnection, CompletableFuture<Void>> action) {
        if (closed.get()) {
            return SqliteFuture.failed(closedError());
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        all.add(action.apply(writer));
        for (AsyncConnection r : readers) {
            all.add(action.apply(r));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Runs a WAL checkpoint of the given kind through the writer queue; see {@link CheckpointMode}. FULL, RESTART and
     * TRUNCATE wait for readers up to the busy timeout, holding the writer meanwhile.
     *
     * @param mode the kind
     * @return a future completed on the writer thread with the checkpoint's numbers
     */
    public CompletableFuture<CheckpointResult> checkpoint(CheckpointMode mode) {
        Objects.requireNonNull(mode, "mode");
        String sql = "PRAGMA wal_checkpoint(" + mode.name() + ")";
        SqliteException refused = refuseScope("Database.checkpoint");
        if (refused != null) {
            return SqliteFuture.failed(refused);
        }
        return write(s -> {
            Row r = s.query(sql, NO_ARGS, 1).get(0);
            return new CheckpointResult(r.getLong(0) != 0, r.getLong(1), r.getLong(2));
        }, sql);
    }

    /**
     * Runs a PASSIVE checkpoint; see {@link #checkpoint(CheckpointMode)}.
     *
     * @return a future completed on the writer thread with the checkpoint's numbers
     */
    public CompletableFuture<CheckpointResult> checkpoint() {
        return checkpoint(CheckpointMode.PASSIVE);
    }

    /**
     * Copies the database, online, to a file; see {@link #backup(Path, BackupOptions)}.
     *
     * @param target the backup file; replaced once the copy is complete
     * @return a future completed on the reader's thread (or the completion executor) with the last progress report
     */
    public CompletableFuture<BackupProgress> backup(Path target) {
        return backup(target, BackupOptions.defaults());
    }

    /**
     * Copies the database, online, to a file from a reader, as {@link AsyncConnection#backup(Path, BackupOptions)}
     * does, so that the writer keeps writing: each commit made by the writer during the backup makes SQLite restart
     * the copy from its first page (at the next step), and the copy holds every commit made before its last step
     * (or before the snapshot was pinned, below). The
     * backup leases one reader for its whole length (the other readers serve queries); cursors and streams placed on
     * that reader run between its steps. With one connection (not WAL) it holds that connection.
     *
     * <p>Under a steady stream of commits a copy restarted at every step would never finish: after
     * {@link BackupOptions#maxRestarts()} restarts (3 by default) the reader pins a snapshot (a read transaction held
     * until the backup ends, which WAL writers do not wait for), and the copy is the database as of that moment.
     *
     * @param target the backup file: its directory must exist and be writable; an existing file is replaced
     * @param options pages per step, pause, progress listener, schema
     * @return a future completed on the reader's thread (or the completion executor) with the last progress report;
     *     failed as {@link AsyncConnection#backup(Path, BackupOptions)}
     */
    public CompletableFuture<BackupProgress> backup(Path target, BackupOptions options) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        return leased(readerPool, Backups.backup(target, options, wal), null);
    }

    /**
     * Replaces the content of the database by that of a database file, through the writer; see
     * {@link AsyncConnection#restore(Path, BackupOptions)}. Readers see the new content from their next read.
     *
     * @param source the database file to read
     * @return a future completed on the writer's thread (or the completion executor) with the last progress report
     */
    public CompletableFuture<BackupProgress> restore(Path source) {
        return restore(source, BackupOptions.defaults());
    }

    /**
     * Replaces the content of the database by that of a database file, through the writer; see
     * {@link AsyncConnection#restore(Path, BackupOptions)}. In WAL mode the file's page size must be the database's.
     *
     * @param source the database file to read
     * @param options schema, pages per step, listener
     * @return a future completed on the writer's thread (or the completion executor) with the last progress report
     */
    public CompletableFuture<BackupProgress> restore(Path source, BackupOptions options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        SqliteException refused = refuseScope("Database.restore");
        return refused != null ? SqliteFuture.failed(refused) : write(Backups.restore(source, options), null);
    }

    /**
     * {@code VACUUM INTO} a new file, from a reader; see {@link AsyncConnection#vacuumInto(Path)}.
     *
     * @param target the new file; it must not exist
     * @return a future completed on the reader's thread (or the completion executor) once written
     */
    public CompletableFuture<Void> vacuumInto(Path target) {
        Objects.requireNonNull(target, "target");
        return leased(readerPool, Backups.vacuumInto(target, "main"), "VACUUM INTO ?");
    }

    /**
     * The database as the bytes of a database file, read on a reader; see {@link AsyncConnection#serialize(String)}.
     *
     * @return a future completed on the reader's thread (or the completion executor) with the bytes
     */
    public CompletableFuture<byte[]> serialize() {
        return leased(readerPool, Backups.serialize("main"), null);
    }

    /**
     * Replaces the content of the database by the database in {@code data}, through the writer: as
     * {@link #restore(Path)} from a temporary copy of the bytes (the database stays backed by its file).
     *
     * @param data the bytes of a database file
     * @return a future completed on the writer's thread (or the completion executor) once replaced
     */
    public CompletableFuture<Void> deserialize(byte[] data) {
        Objects.requireNonNull(data, "data");
        SqliteException refused = refuseScope("Database.deserialize");
        return refused != null ? SqliteFuture.failed(refused) : write(Backups.deserialize("main", data), null);
    }

    /**
     * The pool's current numbers. Cheap; safe from any thread.
     *
     * @return the statistics
     */
    public DatabaseStats stats() {
        List<Long> wc = writerPool.counters();
        List<Long> rc = wal ? readerPool.counters() : List.of(0L, 0L, 0L, 0L);
        return new DatabaseStats(readers.size(), wal ? readerPool.busy() : 0, wal ? readerPool.queueLength() : 0,
                writerPool.busy() > 0, writerPool.queueLength(), rc.get(0), wc.get(0), Duration.ofNanos(rc.get(1)),
                Duration.ofNanos(rc.get(2)), Duration.ofNanos(wc.get(1)), Duration.ofNanos(wc.get(2)),
                rc.get(3) + wc.get(3), transactionTimeouts.get());
    }

    /**
     * The database as SQL text, as {@link #dump(DumpOptions)} with {@link DumpOptions#defaults()}.
     *
     * @return a cold publisher of statements
     */
    public Flow.Publisher<String> dump() {
        return dump(DumpOptions.defaults());
    }

    /**
     * The database as SQL text, one complete statement per item, as {@link AsyncConnection#dump(DumpOptions)}
     * describes; restore it with {@link #executeScript} on an empty database.
     *
     * <p>Each subscription, on its first {@code request}, leases one reader and begins a read transaction on it, as
     * {@link #beginRead()} does: the whole dump is one consistent snapshot, taken then, while writers go on writing
     * (on one shared connection, {@link #isWal()} false, the snapshot holds the writer: writes wait for the dump).
     * It reads rows only as demand arrives, {@link DatabaseOptions#prefetch()} rows per round trip. {@code onNext}
     * runs on the reader's worker thread (or the completion executor), or on the thread that calls {@code request}
     * when statements are already read; never concurrently. Cancelling stops reading, ends the read transaction and
     * gives the reader back; so do completion and failure, before {@code onComplete} or {@code onError} is
     * signalled. The snapshot is bounded by {@link DatabaseOptions#transactionTimeout()} like any other: a dump (or
     * a subscriber) slower than that fails with a {@link SqliteException} that says so. {@link #close()} waits for a
     * dump in progress as for any held snapshot: until it completes, is cancelled or that timeout ends it. Errors reach
     * {@code onError} as {@link SqliteException}: {@link SqliteClosedException} on a closed database,
     * {@link SqliteTimeoutException} when no reader was free within the acquire timeout.
     *
     * @param options which schema and tables, whether rowids are kept
     * @return a cold publisher of statements; each subscriber gets its own dump
     */
    public Flow.Publisher<String> dump(DumpOptions options) {
        Objects.requireNonNull(options, "options");
        return new io.sqliteasync.internal.dump.DumpPublisher<Snapshot>(this::beginRead, snapshot -> snapshot,
                Snapshot::closeAsync, options, this.options.prefetch());
    }

    /**
     * A view of this database whose methods block until the call has run and return plain values; its
     * transactions run their body on the calling thread.
     *
     * @return the blocking view (one per database)
     */
    @Override
    public BlockingDatabase blocking() {
        return blocking;
    }

    /**
     * Whether {@link #close()} or {@link #closeAsync()} was called.
     *
     * @return {@code true} once closing began
     */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes the database without blocking: refuses new calls at once, lets the queued ones (including open
     * transactions) finish, then closes the readers and, last, the writer. Idempotent.
     *
     * @return a future completed (on a worker thread) once every connection is closed
     */
    public CompletableFuture<Void> closeAsync() {
        if (!closed.compareAndSet(false, true)) {
            return closeDone;
        }
        List<CompletableFuture<?>> leases = new ArrayList<>();
        leases.add(writerPool.acquire(Duration.ZERO));
        if (wal) {
            for (int i = 0; i < readers.size(); i++) {
                leases.add(readerPool.acquire(Duration.ZERO));
            }
        }
        CompletableFuture.allOf(leases.toArray(new CompletableFuture<?>[0]))
                .thenCompose(x -> {
                    // A call that passed the closed check as closing began may have queued behind these leases,
                    // which are never given back: fail it instead of leaving its future incomplete.
                    writerPool.close(this::closedError);
                    readerPool.close(this::closedError);
                    List<CompletableFuture<Void>> rs = new ArrayList<>();
                    for (AsyncConnection r : readers) {
                        rs.add(r.closeAsync());
                    }
                    return CompletableFuture.allOf(rs.toArray(new CompletableFuture<?>[0]));
                })
                .thenCompose(x -> writer.closeAsync())
                .whenComplete((x, e) -> closeDone.complete(null));
        return closeDone;
    }

    /**
     * Closes the database and waits for it; see {@link #closeAsync()}. Called on one of this database's worker
     * threads, it cannot wait for itself and returns once closing has begun.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = closeAsync();
        Thread t = Thread.currentThread();
        if (t == writer.worker().thread()) {
            return;
        }
        for (AsyncConnection r : readers) {
            if (t == r.worker().thread()) {
                return;
            }
        }
        done.join();
    }

    @Override
    public String toString() {
        return "Database[" + options.path() + (wal ? ", WAL, " + readers.size() + " readers" : ", one connection")
                + (isClosed() ? ", closed]" : "]");
    }

    /** Whether the caller runs on the writer's worker thread (which also serves reads on one shared connection). */
    boolean onWriterThread() {
        return writer.worker().onWorkerThread();
    }

    /**
     * Acquires a connection for a caller's future: a cancelled future withdraws the request, a failed acquire fails
     * the future, and a connection granted after the future completed goes straight back. {@code use} runs, on the
     * thread that granted the connection, only while the caller still wants it, and then owns its release.
     */
    private static void lease(AsyncPool<ConnectionWorker> pool, CompletableFuture<?> out, Duration timeout,
            java.util.function.BiConsumer<ConnectionWorker, Boolean> use) {
        CompletableFuture<ConnectionWorker> lease = pool.acquire(timeout);
        boolean immediate = lease.isDone();
        if (!immediate) {
            out.whenComplete((v, e) -> {
                if (out.isCancelled()) {
                    lease.cancel(false);
                }
            });
        }
        lease.whenComplete((w, e) -> {
            if (e != null) {
                out.completeExceptionally(e);
                return;
            }
            if (out.isDone()) {
                pool.release(w);
                return;
            }
            use.accept(w, immediate);
        });
    }

    /**
     * Submits a leased call. Only a call made on the leased connection's own thread that got the connection at once
     * runs inline there (as any call made on a worker thread does); every other call is queued, in particular one
     * started by a hand-off inside another call's completion, which inline would run before its caller could reach
     * its future to cancel it.
     */
    private static <T> CompletableFuture<T> start(ConnectionWorker w, boolean immediate, Job<T> job, String sql,
            CallContext context, long deadline) {
        return immediate && w.onWorkerThread()
                ? w.submit(job, sql, context, deadline)
                : w.enqueue(job, sql, context, deadline);
    }

    private <T> CompletableFuture<T> leased(AsyncPool<ConnectionWorker> pool, Job<T> job, String sql) {
        SqliteFuture<T> out = new SqliteFuture<>();
        if (closed.get()) {
            out.completeExceptionally(closedError());
            return out;
        }
        // The command is submitted later, on whichever thread frees a connection: carry the caller's context now.
        CallContext context = CallContext.capture();
        long deadline = DeadlineScope.current();
        sealGroup(pool);
        lease(pool, out, acquireTimeout(deadline), (w, immediate) -> {
            CompletableFuture<T> running = start(w, immediate, job, sql, context, deadline);
            // A command cancelled before the worker reaches it never runs (the worker skips completed futures).
            out.whenComplete((v, e2) -> {
                if (out.isCancelled()) {
                    running.cancel(false);
                }
            });
            running.whenComplete((v, err) -> pool.release(w, () -> {
                if (err != null) {
                    out.completeExceptionally(err);
                } else {
                    out.complete(v);
                }
            }));
        });
        return out;
    }

    /** A request for the writer other than a grouped write: the batch waiting for it takes no later writes. */
    private void sealGroup(AsyncPool<ConnectionWorker> pool) {
        if (groupCommit != null && pool == writerPool) {
            groupCommit.seal();
        }
    }

    /** A caller's deadline bounds the wait for a connection too; zero means no limit in the pool. */
    private Duration acquireTimeout(long deadline) {
        Duration configured = options.acquireTimeout();
        if (deadline == 0) {
            return configured;
        }
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        return configured.isZero() || left.compareTo(configured) < 0 ? left : configured;
    }

    static SqliteException readerError(Throwable t, String sql) {
        SqliteException e = Errors.map(t, sql);
        if (e.resultCode() != SqliteException.SQLITE_READONLY) {
            return e;
        }
        return new SqliteException("cannot write through a reader: queries (fetchAll, fetchOne, fetchOptional,"
                + " cursor, stream) and read(fn) run on read-only connections (PRAGMA query_only); send writes with"
                + " Database.execute or inside Database.transaction(fn)", e.extendedResultCode(), sql, e);
    }

    private static SqliteException controlMisuse(String sql) {
        String kw = SqlText.firstKeyword(sql);
        String advice = kw.equals("BEGIN") || kw.equals("SAVEPOINT")
                ? kw + " through execute: the Database manages transactions on its single writer; use"
                        + " Database.transaction(fn), which begins, commits and rolls back for you, or Database.begin()"
                        + " for a Transaction handle"
                : kw + " outside a transaction: each Database.execute runs in its own transaction; use"
                        + " Database.transaction(fn), which commits when the function's stage completes and rolls back"
                        + " when it fails";
        return new SqliteException(advice, SqliteException.SQLITE_MISUSE, sql, null);
    }

    private SqliteClosedException closedError() {
        return new SqliteClosedException("the database is closed", null);
    }

}
