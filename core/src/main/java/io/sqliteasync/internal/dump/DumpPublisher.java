package io.sqliteasync.internal.dump;

import io.sqliteasync.DumpOptions;
import io.sqliteasync.SqlClient;
import io.sqliteasync.SqliteException;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The publisher behind {@code dump()}: a cold publisher of SQL statements, one per item. Each subscription opens its
 * own read scope when it first requests items, reads the catalog and then the tables through cursors of that scope,
 * a batch of at most {@code prefetch} rows at a time and only while demand is outstanding, and ends the scope before
 * it signals {@code onComplete} or {@code onError}, or as soon as it is cancelled.
 *
 * <p>Signals are serialised by a drain loop (one thread at a time, whoever holds {@code wip}): {@code onNext} runs on
 * the thread that completes a batch (a worker, or the completion executor) or on the thread that calls
 * {@code request} while statements are buffered.
 *
 * @param <S> the scope: a {@link io.sqliteasync.Transaction} or a {@link io.sqliteasync.Snapshot}
 */
public final class DumpPublisher<S> implements Flow.Publisher<String> {

    private final Supplier<? extends CompletableFuture<S>> open;
    private final Function<? super S, ? extends SqlClient> client;
    private final Function<? super S, ? extends CompletableFuture<Void>> end;
    private final DumpOptions options;
    private final int prefetch;

    /**
     * A publisher that opens a scope with {@code open} for each subscription.
     *
     * @param open begins the scope (a transaction or a snapshot); called on the subscriber's first request. The
     *     future it returns is cancelled when the subscription ends before it completes, so it must be the one that
     *     withdraws the request when cancelled, not a stage derived from it.
     * @param client the client that reads inside the scope
     * @param end ends the scope and gives its connection back; called once
     * @param options what to dump
     * @param prefetch rows read per round trip
     */
    public DumpPublisher(Supplier<? extends CompletableFuture<S>> open, Function<? super S, ? extends SqlClient> client,
            Function<? super S, ? extends CompletableFuture<Void>> end, DumpOptions options, int prefetch) {
        this.open = open;
        this.client = client;
        this.end = end;
        this.options = Objects.requireNonNull(options, "options");
        this.prefetch = prefetch;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super String> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        Run run = new Run(subscriber);
        subscriber.onSubscribe(run);
    }

    /** One subscription. */
    private final class Run implements Flow.Subscription {
        private final Flow.Subscriber<? super String> subscriber;
        private final DumpPlan plan = new DumpPlan(options, prefetch);
        /** Statements read and not yet delivered; filled by batch completions, drained by the drain loop. */
        private final Queue<String> buffer = new ConcurrentLinkedQueue<>();
        private final AtomicLong requested = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private final AtomicBoolean ended = new AtomicBoolean();
        /** Written by cancel() on any thread, read by the drain loop. */
        private volatile boolean cancelled;
        /** Set by the drain loop when it starts a batch, cleared by that batch's completion. */
        private volatile boolean fetching;
        /** Set by the last batch's completion, after the scope ended. */
        private volatile boolean exhausted;
        /** Set by a failed batch's completion, after the scope ended. */
        private volatile Throwable failure;
        /** Set by a request for less than one item (rule 3.9). */
        private volatile Throwable invalid;
        /** Written by the first batch, read by end(); {@code null} until the scope is being opened. */
        private volatile CompletableFuture<S> opening;
        /** Touched only inside the drain loop. */
        private boolean done;

        Run(Flow.Subscriber<? super String> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                invalid = new IllegalArgumentException("request(" + n + "): demand must be positive"
                        + " (Reactive Streams rule 3.9)");
                drain();
                return;
            }
            requested.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            drain();
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            while (true) {
                if (done) {
                    buffer.clear();
                    return;
                }
                if (cancelled || invalid != null) {
                    // Ended here, inside the drain loop, so never while a batch is opening the scope on this thread.
                    done = true;
                    buffer.clear();
                    plan.abandon();
                    CompletableFuture<Void> ending = end();
                    Throwable f = invalid;
                    if (!cancelled && f != null) {
                        ending.whenComplete((v, e) -> subscriber.onError(f));
                    }
                    return;
                }
                long r = requested.get();
                long emitted = 0;
                while (emitted != r && !cancelled) {
                    String next = buffer.poll();
                    if (next == null) {
                        break;
                    }
                    try {
                        subscriber.onNext(next);
                    } catch (RuntimeException | Error e) {
                        // Rule 2.13 forbids it; take it as a cancel so that the scope still ends, then let it go on.
                        cancelled = true;
                        done = true;
                        buffer.clear();
                        plan.abandon();
                        end();
                        throw e;
                    }
                    emitted++;
                }
                if (emitted != 0 && r != Long.MAX_VALUE) {
                    requested.addAndGet(-emitted);
                }
                if (!cancelled && buffer.isEmpty() && !fetching) {
                    Throwable f = failure;
                    if (f != null) {
                        done = true;
                        subscriber.onError(f);
                        return;
                    }
                    if (exhausted) {
                        done = true;
                        subscriber.onComplete();
                        return;
                    }
                    if (requested.get() > 0) {
                        fetching = true;
                        batch().whenComplete(this::batchDone);
                    }
                }
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        /** The next batch of statements; {@code null} once the scope ended after the last one. */
        private CompletableFuture<List<String>> batch() {
            try {
                if (opening == null) {
                    CompletableFuture<S> o = open.get();
                    opening = o;
                    return o.thenCompose(scope -> plan.start(client.apply(scope)));
                }
                return plan.next().thenCompose(items -> items == null
                        ? end().thenApply(v -> (List<String>) null) : CompletableFuture.completedFuture(items));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        private void batchDone(List<String> items, Throwable error) {
            if (error != null) {
                Throwable cause = unwrap(error);
                end().whenComplete((v, e) -> {
                    failure = cause;
                    fetching = false;
                    drain();
                });
                return;
            }
            if (items == null) {
                exhausted = true;
            } else {
                buffer.addAll(items);
            }
            fetching = false;
            drain();
        }

        /**
         * Ends the scope once, whichever comes first: the last batch, a failure or a cancel. A scope still being
         * opened is withdrawn (or ended as soon as it opens).
         */
        private CompletableFuture<Void> end() {
            if (!ended.compareAndSet(false, true)) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<S> o = opening;
            if (o == null) {
                return CompletableFuture.completedFuture(null);
            }
            if (!o.isDone()) {
                o.cancel(false);
            }
            return o.handle((scope, e) -> scope).thenCompose(scope -> scope == null
                    ? CompletableFuture.<Void>completedFuture(null)
                    : end.apply(scope).handle((v, e) -> (Void) null));
        }
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof java.util.concurrent.CancellationException) {
            return new SqliteException("the dump was stopped: " + t.getMessage(), SqliteException.SQLITE_INTERRUPT,
                    null, t);
        }
        return t;
    }
}
