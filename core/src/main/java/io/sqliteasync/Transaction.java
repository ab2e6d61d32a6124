package io.sqliteasync;

import io.sqliteasync.internal.sql.SqlText;
import io.sqliteasync.internal.worker.ConnectionWorker;
import io.sqliteasync.internal.worker.CursorState;
import io.sqliteasync.internal.worker.Errors;
import io.sqliteasync.internal.worker.Job;
import io.sqliteasync.internal.worker.Session;
import io.sqliteasync.internal.worker.SqliteFuture;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An open transaction on a {@link Database}'s writer, handed to the function given to
 * {@link Database#transaction(Function)}. Valid only until the stage that function returns completes.
 *
 * <p><b>Threading.</b> Calls go straight to the writer's worker thread, ahead of plain {@link Database#execute}
 * calls, which wait until the transaction ends. Futures complete on the writer's worker thread (or the completion
 * executor); a call made on that thread, for example from a dependent stage, runs inline at once. The function itself
 * runs on the writer thread too: it must not block there (it may block elsewhere, for example on a reader).
 *
 * <p><b>Misuse.</b> {@code BEGIN}, {@code COMMIT}, {@code ROLLBACK}, {@code END}, {@code SAVEPOINT} and
 * {@code RELEASE} are refused: the transaction ends when the stage completes, and {@link #transaction(Function)}
 * makes savepoints. A call made after the transaction ended fails with a {@link SqliteException} and runs nothing,
 * so a late write can never escape into autocommit mode.
 */
public final class Transaction {
    private static final Object[] NO_ARGS = new Object[0];

    private final Database database;
    private final ConnectionWorker worker;
    private final TransactionMode mode;
    private final Scope scope;
    private final int depth;
    private final AtomicInteger savepoints;

    Transaction(Database database, ConnectionWorker worker, TransactionMode mode, Scope scope, int depth,
            AtomicInteger savepoints) {
        this.database = database;
        this.worker = worker;
        this.mode = mode;
        this.scope = scope;
        this.depth = depth;
        this.savepoints = savepoints;
    }

    /**
     * How the outermost transaction began.
     *
     * @return the mode
     */
    public TransactionMode mode() {
        return mode;
    }

    /**
     * The nesting depth: {@code 0} for the transaction itself, {@code 1} for a savepoint inside it, and so on.
     *
     * @return the depth
     */
    public int depth() {
        return depth;
    }

    /**
     * Whether this transaction (and every enclosing one) is still open.
     *
     * @return {@code false} once it committed, rolled back or timed out
     */
    public boolean isActive() {
        return scope.isActive();
    }

    /**
     * Runs one write (or any other statement) inside the transaction.
     *
     * @param sql one statement, with {@code ?} placeholders; not a transaction-control statement
     * @param args one value per placeholder (types as in {@link AsyncConnection#execute})
     * @return a future completed on the writer thread with rows changed and the last insert rowid
     */
    public CompletableFuture<ExecuteResult> execute(String sql, Object... args) {
        Object[] a = args(sql, args);
        if (SqlText.isTransactionControl(sql)) {
            return SqliteFuture.failed(controlMisuse(sql));
        }
        return submit(s -> s.execute(sql, a), sql);
    }

    /**
     * Runs one statement once per parameter set, inside the transaction, all or nothing.
     *
     * @param sql one statement
     * @param parameterSets the sets, each an {@code Object[]} or a {@link List}; copied now
     * @return a future completed on the writer thread with the total rows changed
     */
    public CompletableFuture<ExecuteResult> executeMany(String sql, Iterable<?> parameterSets) {
        return executeMany(sql, parameterSets, BatchMode.ATOMIC);
    }

    /**
     * Runs one statement once per parameter set, inside the transaction.
     *
     * @param sql one statement
     * @param parameterSets the sets, each an {@code Object[]} or a {@link List}; copied now
     * @param batchMode {@link BatchMode#ATOMIC} for all or nothing; with {@link BatchMode#AUTOCOMMIT} sets that ran
     *     before a failing one stay in the transaction
     * @return a future completed on the writer thread with the total rows changed
     */
    public CompletableFuture<ExecuteResult> executeMany(String sql, Iterable<?> parameterSets, BatchMode batchMode) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(batchMode, "batchMode");
        if (SqlText.isTransactionControl(sql)) {
            return SqliteFuture.failed(controlMisuse(sql));
        }
        List<Object[]> sets;
        try {
            sets = AsyncConnection.copySets(parameterSets);
        } catch (SqliteException e) {
            return SqliteFuture.failed(e);
        }
        return submit(s -> s.executeMany(sql, sets, batchMode), sql);
    }

    /**
     * Runs a script of statements without parameters inside the transaction. A script that ends the transaction
     * (COMMIT, ROLLBACK or END in it) fails, and the transaction then fails too.
     *
     * @param sql the script
     * @return a future completed on the writer thread once every statement ran
     */
    public CompletableFuture<Void> executeScript(String sql) {
        Objects.requireNonNull(sql, "sql");
        return submit(s -> {
            long ends = s.transactionEnds();
            s.executeScript(sql);
            if (s.transactionEnds() != ends) {
                // COMMIT or ROLLBACK in the script, perhaps followed by BEGIN: the transaction this handle stands
                // for is over, whatever the connection's state now. Refuse its later statements and fail it.
                scope.end();
                if (s.inTransaction()) {
                    s.rollback();
                }
                throw new SqliteException("the script ended the transaction (COMMIT, ROLLBACK or END in it); inside"
                        + " transaction(fn) the transaction ends when the function's stage completes",
                        SqliteException.SQLITE_MISUSE, sql, null);
            }
            if (!s.inTransaction()) {
                throw new SqliteException("the script ended the transaction (COMMIT, ROLLBACK or END in it); inside"
                        + " transaction(fn) the transaction ends when the function's stage completes",
                        SqliteException.SQLITE_MISUSE, sql, null);
            }
            return null;
        }, sql);
    }

    /**
     * Runs a query inside the transaction; it sees the transaction's own writes.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return a future completed on the writer thread with every row
     */
    public CompletableFuture<List<Row>> fetchAll(String sql, Object... args) {
        Object[] a = args(sql, args);
        return submit(s -> s.query(sql, a, Integer.MAX_VALUE), sql);
    }

    /**
     * Runs a query inside the transaction and returns its first row.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return a future completed on the writer thread with the first row, or {@code null}
     */
    public CompletableFuture<Row> fetchOne(String sql, Object... args) {
        Object[] a = args(sql, args);
        return submit(s -> {
            List<Row> rows = s.query(sql, a, 1);
            return rows.isEmpty() ? null : rows.get(0);
        }, sql);
    }

    /**
     * Runs a query inside the transaction and returns its first row, if any.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return a future completed on the writer thread with the first row or an empty optional
     */
    public CompletableFuture<Optional<Row>> fetchOptional(String sql, Object... args) {
        return fetchOne(sql, args).thenApply(Optional::ofNullable);
    }

    /**
     * Starts a query inside the transaction and returns a cursor over its rows. Close or exhaust the cursor before
     * the transaction ends; its end closes it, and later fetches fail.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return a future completed on the writer thread with the cursor
     */
    public CompletableFuture<Cursor> cursor(String sql, Object... args) {
        Object[] a = args(sql, args);
        CursorState state = new CursorState(sql, a);
        return submit(Cursor.opening(worker, state, s -> {
            scope.track(state);
            s.openCursor(state);
        }), sql);
    }

    /**
     * Runs a nested transaction as a savepoint: {@code SAVEPOINT} now, {@code RELEASE} when the stage returned by
     * {@code fn} completes, {@code ROLLBACK TO} (keeping this transaction's earlier work) when it fails or the
     * returned future is cancelled. Complete the nested stage before this transaction's own stage.
     *
     * @param fn the work, run on the writer thread with the nested handle
     * @param <T> the result type
     * @return a future completed on the writer thread with the stage's value once released, or failed with what
     *     failed the stage once rolled back to the savepoint
     */
    public <T> CompletableFuture<T> transaction(Function<? super Transaction, ? extends CompletionStage<T>> fn) {
        Objects.requireNonNull(fn, "fn");
        SqliteFuture<T> out = new SqliteFuture<>();
        String name = "sqlite_async_sp_" + (depth + 1) + "_" + savepoints.incrementAndGet();
        Scope child = new Scope(scope, "savepoint");
        Transaction nested = new Transaction(database, worker, mode, child, depth + 1, savepoints);
        // As for BEGIN in Database: whoever claims first settles 'out' - the job once it starts (then the scope ends
        // it, even if the deadline fails the job's own future while fn runs), or that future's failure before.
        AtomicBoolean claimed = new AtomicBoolean();
        submit(s -> {
            if (!claimed.compareAndSet(false, true)) {
                return null;
            }
            try {
                s.executeScript("SAVEPOINT " + name);
            } catch (RuntimeException failure) {
                out.completeExceptionally(Errors.map(failure, "SAVEPOINT " + name));
                return null;
            }
            Scope.run(child, nested, fn, out, release -> worker.submit(w -> {
                child.end();
                if (release) {
                    scope.check("RELEASE " + name);
                    w.executeScript("RELEASE " + name);
                } else if (scope.isActive()) {
                    w.executeScript("ROLLBACK TO " + name + "; RELEASE " + name);
                }
                return null;
            }, release ? "RELEASE " + name : "ROLLBACK TO " + name, null, 0), Duration.ZERO, () -> { }, "savepoint",
                    Runnable::run);
            return null;
        }, "SAVEPOINT " + name).whenComplete((v, e) -> {
            if (e != null && claimed.compareAndSet(false, true)) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    /**
     * Ends the outermost transaction; runs on the writer thread. The end runs without a deadline: it often runs
     * inline inside a call whose deadline has just passed, and a skipped rollback would leave the transaction open
     * on the writer after it is released.
     */
    CompletableFuture<Void> end(boolean commit) {
        return worker.submit(s -> {
            scope.end();
            scope.closeCursors(s);
            if (!commit) {
                s.rollback();
                return null;
            }
            try {
                s.executeScript("COMMIT");
            } catch (RuntimeException e) {
                try {
                    s.rollback();
                } catch (RuntimeException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
            return null;
        }, commit ? "COMMIT" : "ROLLBACK", null, 0);
    }

    private <T> CompletableFuture<T> submit(Job<T> job, String sql) {
        if (!scope.isActive()) {
            return SqliteFuture.failed(scope.ended(sql));
        }
        return scope.track(worker.submit(new Job<T>() {
            @Override
            public T run(Session s) throws Exception {
                scope.check(sql);
                try {
                    return job.run(s);
                } catch (Exception e) {
                    // SQLite rolls the whole transaction back after some failures (an interrupted write, SQLITE_FULL,
                    // ON CONFLICT ROLLBACK): the handle must not go on in autocommit mode as if nothing happened.
                    if (!stillInTransaction(s)) {
                        scope.end();
                        SqliteException mapped = Errors.map(e, sql);
                        throw new SqliteException("the transaction was rolled back by SQLite when this statement"
                                + " failed (" + mapped.getMessage() + "); later statements of this transaction fail",
                                mapped.extendedResultCode(), sql, e);
                    }
                    throw e;
                }
            }

            @Override
            public void discard(T result) {
                job.discard(result);
            }
        }, sql, () -> !scope.isActive()));
    }

    /** After a failure; when the probe cannot run (nested inside a callback) the transaction is assumed open. */
    private static boolean stillInTransaction(Session s) {
        try {
            return s.inTransaction();
        } catch (SqliteException e) {
            return true;
        }
    }

    private static SqliteException controlMisuse(String sql) {
        String kw = SqlText.firstKeyword(sql);
        String advice = kw.equals("BEGIN")
                ? "BEGIN inside a transaction: SQLite transactions do not nest; use tx.transaction(fn) for a nested"
                        + " transaction (a savepoint)"
                : kw.equals("SAVEPOINT") || kw.equals("RELEASE")
                        ? kw + " by hand inside transaction(fn): use tx.transaction(fn), which makes and releases"
                                + " the savepoint"
                        : kw + " by hand inside transaction(fn): the transaction commits when the function's stage"
                                + " completes and rolls back when it fails or is cancelled";
        return new SqliteException(advice, SqliteException.SQLITE_MISUSE, sql, null);
    }

    private static Object[] args(String sql, Object[] args) {
        Objects.requireNonNull(sql, "sql");
        return args == null ? NO_ARGS : args.clone();
    }

    @Override
    public String toString() {
        return "Transaction[" + mode + ", depth " + depth + (isActive() ? "]" : ", ended]");
    }
}
