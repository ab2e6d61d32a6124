package io.sqliteasync;

import io.sqliteasync.internal.worker.ConnectionWorker;
import io.sqliteasync.internal.worker.Job;
import io.sqliteasync.internal.worker.Session;
import io.sqliteasync.internal.worker.SqliteFuture;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One reader leased by {@link Database#read(Function)}: every query made through it sees the same consistent state
 * of the database (one read transaction), whatever the writer commits meanwhile. Valid only until the stage returned
 * by the function completes.
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
public final class Snapshot extends ScopedClient {
    private final boolean sharedConnection;
    private final BlockingSnapshot blocking = new BlockingSnapshot(this);
    /** The database's listeners. */
    private final Listeners listeners;

    Snapshot(ConnectionWorker worker, Scope scope, boolean sharedConnection, Listeners listeners) {
        super(worker, scope);
        this.sharedConnection = sharedConnection;
        this.listeners = listeners;
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
