package io.sqliteasync;

import io.sqliteasync.internal.worker.ConnectionWorker;
import io.sqliteasync.internal.worker.CursorState;
import io.sqliteasync.internal.worker.Job;
import io.sqliteasync.internal.worker.Session;
import io.sqliteasync.internal.worker.SqliteFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The routing of a handle bound to one connection for the length of a {@link Scope}: a {@link Transaction} or a
 * {@link Snapshot}. Every call goes straight to that connection's worker (bypassing the pool and the connection's
 * gate), is refused once the scope ended, and stops when the scope is abandoned; cursors and streams opened through
 * the handle are closed when the scope ends.
 */
abstract class ScopedClient extends AbstractSqlClient {
    final ConnectionWorker worker;
    final Scope scope;

    ScopedClient(ConnectionWorker worker, Scope scope) {
        this.worker = worker;
        this.scope = scope;
    }

    /** Refusals particular to the handle, once the scope is known to be active. */
    abstract SqliteException refuseInScope(Kind kind, String method, String sql);

    /** Turns the failure of one of the scope's statements into the call's failure; on the worker thread. */
    abstract Exception failure(Session session, Exception e, String sql);

    /**
     * Hands a finished call over to its caller: completes {@code out} from {@code done}. A transaction completes it
     * inside its marked region.
     */
    void deliver(Runnable completion) {
        completion.run();
    }

    /**
     * Whether the handle can still be used.
     *
     * @return {@code false} once the scope ended (committed, rolled back, timed out or closed)
     */
    public boolean isActive() {
        return scope.isActive();
    }

    @Override
    final SqliteException refuse(Kind kind, String method, String sql) {
        if (!scope.isActive()) {
            return scope.ended(sql);
        }
        return refuseInScope(kind, method, sql);
    }

    @Override
    <T> CompletableFuture<T> write(Job<T> job, String sql) {
        return submit(job, sql);
    }

    @Override
    <T> CompletableFuture<T> read(Job<T> job, String sql) {
        return submit(job, sql);
    }

    @Override
    final ConnectionWorker cursorWorker() {
        return worker;
    }

    @Override
    final <T> CompletableFuture<T> onCursorWorker(ConnectionWorker w, Job<T> job, String sql) {
        return submit(job, sql);
    }

    @Override
    final void openCursor(Session session, CursorState state, String sql) {
        scope.track(state);
        session.openCursor(state);
    }

    /** A stream whose subscriptions the scope cancels when it ends; subscribing after the end fails at once. */
    @Override
    final Flow.Publisher<Row> publisher(ConnectionWorker w, String sql, Object[] args, Runnable onOpen) {
        Flow.Publisher<Row> rows = super.publisher(w, sql, args, onOpen);
        return subscriber -> {
            if (!scope.isActive()) {
                failNow(subscriber, scope.ended(sql));
                return;
            }
            rows.subscribe(new Flow.Subscriber<Row>() {
                private Flow.Subscription subscription;

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription = s;
                    scope.track(s);
                    subscriber.onSubscribe(s);
                }

                @Override
                public void onNext(Row item) {
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable t) {
                    scope.untrack(subscription);
                    subscriber.onError(t);
                }

                @Override
                public void onComplete() {
                    scope.untrack(subscription);
                    subscriber.onComplete();
                }
            });
        };
    }

    /**
     * Submits one of the scope's calls: it runs only while the scope is active, the progress handler stops it once
     * the scope is abandoned (even when it runs inline, where its future is out of reach), and a rollback cancels it.
     */
    final <T> CompletableFuture<T> submit(Job<T> job, String sql) {
        if (!scope.isActive()) {
            return SqliteFuture.failed(scope.ended(sql));
        }
        SqliteFuture<T> call = worker.submit(new Job<T>() {
            @Override
            public T run(Session s) throws Exception {
                scope.check(sql);
                try {
                    return job.run(s);
                } catch (Exception e) {
                    throw failure(s, e, sql);
                }
            }

            @Override
            public void discard(T result) {
                job.discard(result);
            }
        }, sql, () -> !scope.isActive());
        scope.track(call);
        SqliteFuture<T> out = new SqliteFuture<>();
        call.whenComplete((v, e) -> deliver(() -> {
            // Cancelled by the scope's rollback rather than by the caller: say that the scope ended.
            Throwable why = e instanceof java.util.concurrent.CancellationException && !scope.isActive()
                    ? scope.ended(sql) : e;
            boolean taken = e == null ? out.complete(v) : out.completeExceptionally(why);
            if (!taken && e == null) {
                job.discard(v);
            }
        }));
        if (!out.isDone()) {
            out.whenComplete((v, e) -> {
                if (out.isCancelled()) {
                    call.cancel(false);
                }
            });
        }
        return out;
    }
}
