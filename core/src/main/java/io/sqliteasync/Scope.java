package io.sqliteasync;

import io.sqliteasync.internal.worker.Errors;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The life of one transaction, savepoint or read scope: whether its handle may still be used, and the code that runs
 * the user's function and ends the scope exactly once, on success, failure, cancel or timeout.
 */
final class Scope {
    private final Scope parent;
    private final String what;
    /**
     * Cleared by the job that ends the scope, on the connection's worker thread; read by every job of the scope on
     * that thread (so a call queued after the end fails instead of running outside the transaction) and by
     * submitters, to fail early.
     */
    private volatile boolean active = true;
    /** Why the scope ended when nobody asked it to (a timeout); written before {@link #active} is cleared. */
    private volatile String reason;
    /** Stream subscriptions opened through the scope's handles (root scope only); cancelled when it ends. */
    private final java.util.Set<java.util.concurrent.Flow.Subscription> streams =
            java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Cursors opened through the scope's handles (root scope only); closed when the scope ends. */
    private final java.util.List<io.sqliteasync.internal.worker.CursorState> cursors = new java.util.ArrayList<>();

    /**
     * Calls made through this scope's handle that have not completed yet; added by submitters, removed by whoever
     * completes the call, cancelled by the thread that ends the scope without committing, so that a running statement
     * stops instead of holding the connection until it finishes on its own.
     */
    private final java.util.Set<CompletableFuture<?>> calls = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Scope(Scope parent, String what) {
        this.parent = parent;
        this.what = what;
    }

    boolean isActive() {
        for (Scope s = this; s != null; s = s.parent) {
            if (!s.active) {
                return false;
            }
        }
        return true;
    }

    void check(String sql) {
        if (!isActive()) {
            throw ended(sql);
        }
    }

    SqliteException ended(String sql) {
        String why = null;
        for (Scope s = this; s != null && why == null; s = s.parent) {
            why = s.reason;
        }
        return new SqliteException("this " + what + " has ended"
                + (why != null ? " (" + why + ")" : ": use its handle only until the stage returned by the function"
                        + " completes, or until commit(), rollback() or close()"),
                SqliteException.SQLITE_MISUSE, sql, null);
    }

    void end() {
        active = false;
    }

    /** Ends the scope and says why, for the errors of later calls (a timeout took the connection back). */
    void endBecause(String why) {
        reason = why;
        active = false;
    }

    /** Remembers a call of this scope's handle until it completes; see {@link #cancelCalls()}. */
    <T> CompletableFuture<T> track(CompletableFuture<T> call) {
        if (!call.isDone()) {
            calls.add(call);
            call.whenComplete((v, e) -> calls.remove(call));
        }
        return call;
    }

    /**
     * Ends the scope because it rolls back, and stops its calls: queued ones are cancelled, and a running one, even
     * one running inline where its future is out of reach, sees {@link #isActive()} false through the progress
     * handler and stops SQLite.
     */
    void abandon() {
        active = false;
        for (CompletableFuture<?> c : calls.toArray(new CompletableFuture<?>[0])) {
            c.cancel(false);
        }
        cancelStreams();
    }

    /** Remembers a stream subscription opened in this scope, so that the end of the scope cancels it. */
    void track(java.util.concurrent.Flow.Subscription stream) {
        root().streams.add(stream);
    }

    void untrack(java.util.concurrent.Flow.Subscription stream) {
        root().streams.remove(stream);
    }

    /** Cancels the scope's open streams; on the worker thread their statements are reset at once (inline). */
    private void cancelStreams() {
        Scope r = root();
        for (java.util.concurrent.Flow.Subscription s : r.streams.toArray(new java.util.concurrent.Flow.Subscription[0])) {
            r.streams.remove(s);
            s.cancel();
        }
    }

    private Scope root() {
        Scope s = this;
        while (s.parent != null) {
            s = s.parent;
        }
        return s;
    }

    /** Remembers a cursor opened in this scope (or a nested one), so that the end of the scope closes it. */
    void track(io.sqliteasync.internal.worker.CursorState cursor) {
        Scope r = root();
        synchronized (r.cursors) {
            r.cursors.add(cursor);
        }
    }

    /**
     * Closes the cursors still open, on the connection's worker thread, before the scope's COMMIT or ROLLBACK: an
     * open statement would otherwise keep its read transaction past the end, pinning the connection to an old
     * snapshot for whoever uses it next, and would go on reading outside the scope.
     */
    void closeCursors(io.sqliteasync.internal.worker.Session session) {
        cancelStreams();
        Scope r = root();
        java.util.List<io.sqliteasync.internal.worker.CursorState> open;
        synchronized (r.cursors) {
            open = new java.util.ArrayList<>(r.cursors);
            r.cursors.clear();
        }
        for (io.sqliteasync.internal.worker.CursorState c : open) {
            session.closeCursor(c);
        }
    }

    /**
     * Runs {@code fn} with the handle, then ends the scope once: {@code end.apply(true)} when the stage it returns
     * completes normally, {@code end.apply(false)} when fn throws, the stage fails, {@code out} is cancelled or the
     * timeout passes. {@code release} is handed the completion of {@code out} once the end job is
     * done; it releases the connection first.
     */
    static <H, T> void run(Scope scope, H handle, Function<? super H, ? extends CompletionStage<T>> fn,
            CompletableFuture<T> out,
            Function<Boolean, CompletableFuture<Void>> end, Duration timeout, Runnable onTimeout, String what,
            Consumer<Runnable> release) {
        AtomicBoolean ending = new AtomicBoolean();
        CompletableFuture<Void> timer = timeout.isZero()
                ? null
                : new CompletableFuture<Void>().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        class Finish {
            void apply(boolean commit, T value, Throwable failure) {
                if (ending.compareAndSet(false, true)) {
                    complete(commit, value, failure);
                }
            }

            /** Ends the scope; the caller has won {@code ending}, so this runs once. */
            void complete(boolean commit, T value, Throwable failure) {
                if (timer != null) {
                    timer.complete(null);
                }
                if (!commit) {
                    scope.abandon();
                }
                CompletableFuture<Void> ended;
                try {
                    ended = end.apply(commit);
                } catch (Throwable t) {
                    ended = CompletableFuture.failedFuture(t);
                }
                ended.whenComplete((v, e) -> release.accept(() -> {
                    if (commit && e == null) {
                        out.complete(value);
                    } else if (commit) {
                        out.completeExceptionally(Errors.map(e, null));
                    } else {
                        if (e != null && failure != null && failure != e) {
                            failure.addSuppressed(e);
                        }
                        Throwable f = failure != null ? failure : e;
                        if (f != null) {
                            out.completeExceptionally(f);
                        }
                    }
                }));
            }
        }
        Finish finish = new Finish();
        if (timer != null) {
            timer.whenComplete((v, e) -> {
                // Win the end first: a commit racing with the timeout must not run once the timeout is reported.
                if (e instanceof TimeoutException && ending.compareAndSet(false, true)) {
                    onTimeout.run();
                    finish.complete(false, null, new SqliteTimeoutException("the " + what + " did not complete within "
                            + timeout.toMillis() + " ms and was rolled back; complete the stage returned by the"
                            + " function sooner or raise DatabaseOptions.transactionTimeout"));
                }
            });
        }
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                finish.apply(false, null, null);
            }
        });
        if (ending.get()) {
            return;
        }
        CompletionStage<T> stage;
        try {
            stage = Objects.requireNonNull(fn.apply(handle), "the function returned null instead of a stage");
        } catch (Throwable t) {
            finish.apply(false, null, t);
            return;
        }
        stage.whenComplete((v, e) -> {
            if (e == null) {
                finish.apply(true, v, null);
            } else {
                finish.apply(false, null, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        });
    }
}
