package io.sqliteasync;

import io.sqliteasync.internal.worker.ConnectionWorker;
import io.sqliteasync.internal.worker.Errors;
import io.sqliteasync.internal.worker.Job;
import io.sqliteasync.internal.worker.Session;
import io.sqliteasync.internal.worker.SqliteFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One reader leased by {@link Database#read(Function)} or {@link Database#beginRead()}: every query made through it
 * sees the same consistent state of the database (one read transaction), whatever the writer commits meanwhile. The
 * snapshot of {@code read(fn)} is valid only until the stage returned by the function completes; the one of
 * {@code beginRead()} until {@link #close()} or {@link #closeAsync()} (use try-with-resources), or until it stays open
 * longer than {@link DatabaseOptions#transactionTimeout()}, which ends the read transaction and takes the reader back.
 *
 * <p><b>Routing.</b> Every {@link SqlClient} call goes straight to the leased reader's worker thread; futures complete
 * there (or on the completion executor). A call made on that thread runs inline at once. The function runs on the
 * reader thread and must not block there. Cursors and streams opened through the snapshot are closed when it ends.
 *
 * <p><b>Writes</b> are refused: {@link #execute}, {@link #executeMany} and {@link #executeScript} fail at once with a
 * {@link SqliteException} ({@code SQLITE_READONLY}) that says to use {@link Database#execute} or
 * {@link Database#transaction(Function)}, and the reader runs with {@code PRAGMA query_only}, so a write sent to a
 * query method (for example {@code INSERT ... RETURNING} to {@link #fetchAll}) fails the same way. A call made after
 * the scope ended fails and runs nothing.
 */
public final class Snapshot extends ScopedClient implements AutoCloseable {
    private final boolean sharedConnection;
    private final BlockingSnapshot blocking = new BlockingSnapshot(this);
    /** How a snapshot of {@code beginRead()} ends; {@code null} for the snapshot of {@code read(fn)}. */
    private final Held held;

    /** The end of a snapshot held across calls: claimed once, by close or by the timeout. */
    private static final class Held {
        final AtomicBoolean ending = new AtomicBoolean();
        /** Completes once the read transaction ended and the reader went back. */
        final SqliteFuture<Void> closed = new SqliteFuture<>();
        /** Gives the reader back, then runs its argument. */
        final Consumer<Runnable> release;
        volatile CompletableFuture<Void> timer;

        Held(Consumer<Runnable> release) {
            this.release = release;
        }
    }

    /** The database's listeners. */
    private final Listeners listeners;

    Snapshot(ConnectionWorker worker, Scope scope, boolean sharedConnection, Listeners listeners) {
        this(worker, scope, sharedConnection, listeners, null);
    }

    private Snapshot(ConnectionWorker worker, Scope scope, boolean sharedConnection, Listeners listeners, Held held) {
        super(worker, scope);
        this.sharedConnection = sharedConnection;
        this.listeners = listeners;
        this.held = held;
    }

    @Override
    CallListener listener() {
        return listeners.get();
    }

    /** The leased reader; the writer when it is the database's only connection. */
    @Override
    CallEvent.Role role(Kind kind) {
        return sharedConnection ? CallEvent.Role.WRITER : CallEvent.Role.READER;
    }

    /**
     * A snapshot of {@code beginRead()} whose read transaction has just begun on the worker thread.
     *
     * @param listeners the database's listeners
     * @param release gives the reader back and then runs its argument
     * @param timeout ends the read transaction when it stays open this long; zero for no limit
     * @param onTimeout runs when the timeout ends it
     */
    static Snapshot held(ConnectionWorker worker, boolean sharedConnection, Listeners listeners,
            Consumer<Runnable> release, Duration timeout, Runnable onTimeout) {
        Snapshot snapshot = new Snapshot(worker, new Scope(null, "read transaction"), sharedConnection, listeners,
                new Held(release));
        if (!timeout.isZero()) {
            CompletableFuture<Void> timer = new CompletableFuture<Void>().orTimeout(timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
            snapshot.held.timer = timer;
            timer.whenComplete((v, e) -> {
                if (e instanceof TimeoutException && snapshot.held.ending.compareAndSet(false, true)) {
                    // Refuse further queries before the timeout is counted: whoever sees the count sees the end.
                    snapshot.scope.endBecause("the read transaction stayed open longer than " + timeout.toMillis()
                            + " ms and was ended; close the snapshot sooner or raise"
                            + " DatabaseOptions.transactionTimeout");
                    onTimeout.run();
                    snapshot.finish();
                }
            });
        }
        return snapshot;
    }

    /**
     * Ends the read transaction of a snapshot from {@link Database#beginRead()} and gives the reader back, without
     * waiting: stops the snapshot's running and queued queries first (they fail), and closes its cursors and streams.
     * Later calls fail and run nothing. Does nothing when the snapshot already ended (closed, or ended by the
     * transaction timeout), and on the snapshot of {@link Database#read(Function)}, which ends with its function's
     * stage.
     */
    @Override
    public void close() {
        if (held != null && held.ending.compareAndSet(false, true)) {
            finish();
        }
    }

    /**
     * Does what {@link #close()} does and reports when it is done.
     *
     * @return a future completed on the reader's worker thread (or the completion executor) once the read
     *     transaction ended and the reader went back, also when it had already ended; failed with a
     *     {@link SqliteException} on the snapshot of {@link Database#read(Function)}, which ends with its function's
     *     stage. Cancelling it does not stop the close.
     */
    public CompletableFuture<Void> closeAsync() {
        if (held == null) {
            return SqliteFuture.failed(new SqliteException("closeAsync() on the snapshot of Database.read(fn): it ends"
                    + " when the stage returned by the function completes", SqliteException.SQLITE_MISUSE, null,
                    null));
        }
        close();
        SqliteFuture<Void> out = new SqliteFuture<>();
        held.closed.whenComplete((v, e) -> {
            if (e == null) {
                out.complete(null);
            } else {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    /** Ends a held snapshot once its end was claimed: stops its calls, ends the read transaction, gives it back. */
    private void finish() {
        CompletableFuture<Void> timer = held.timer;
        if (timer != null) {
            timer.complete(null);
        }
        scope.abandon();
        CompletableFuture<Void> ended;
        try {
            ended = end(false);
        } catch (RuntimeException e) {
            ended = CompletableFuture.failedFuture(e);
        }
        ended.whenComplete((v, e) -> held.release.accept(() -> {
            if (e == null) {
                held.closed.complete(null);
            } else {
                held.closed.completeExceptionally(Errors.map(e, "COMMIT"));
            }
        }));
    }

    /**
     * Ends the read transaction; on the one shared connection also lifts {@code query_only} again. Runs without a
     * deadline, like {@link Transaction}'s end, so that an expired caller deadline cannot skip it.
     */
    CompletableFuture<Void> end(boolean commit) {
        return worker.submit(s -> {
            scope.end();
            try {
                scope.closeCursors(s);
                s.commit();
            } finally {
                if (sharedConnection) {
                    s.executeScript("PRAGMA query_only = 0");
                }
            }
            return null;
        }, "COMMIT", null, 0);
    }

    @Override
    SqliteException refuseInScope(Kind kind, String method, String sql) {
        if (kind.writes()) {
            return new SqliteException("Snapshot." + method + ": a snapshot is read-only (its reader runs with PRAGMA"
                    + " query_only); send writes with Database.execute or inside Database.transaction(fn)",
                    SqliteException.SQLITE_READONLY, sql, null);
        }
        return null;
    }

    @Override
    <T> CompletableFuture<T> write(Job<T> job, String sql) {
        // Unreachable: refuseInScope turns every write down first.
        return SqliteFuture.failed(refuseInScope(Kind.EXECUTE, "execute", sql));
    }

    @Override
    Exception failure(Session session, Exception e, String sql) {
        return Database.readerError(e, sql);
    }

    /**
     * The blocking view of this snapshot: the same queries, each waiting on the calling thread.
     *
     * @return the view (one per snapshot)
     */
    @Override
    public BlockingSnapshot blocking() {
        return blocking;
    }

    @Override
    public String toString() {
        return "Snapshot[" + (isActive() ? "active]" : "ended]");
    }
}
