package io.sqliteasync.internal.worker;

import io.sqliteasync.Row;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cold publisher of a query's rows. Each subscription opens its own cursor on the first request and asks the
 * worker for {@code prefetch} rows at a time, and only when its buffer is empty and demand is outstanding, so rows
 * stepped ahead of demand never exceed {@code prefetch}.
 */
public final class RowPublisher implements Flow.Publisher<Row> {
    private final ConnectionWorker worker;
    private final String sql;
    private final Object[] args;
    private final int prefetch;
    private final boolean queryOnly;
    /** Runs on the worker when a subscription's query starts, or {@code null}. */
    private final Runnable onOpen;

    /**
     * Creates the publisher.
     *
     * @param worker the connection's worker
     * @param sql the query
     * @param args its parameters
     * @param prefetch rows per round trip
     */
    public RowPublisher(ConnectionWorker worker, String sql, Object[] args, int prefetch) {
        this(worker, sql, args, prefetch, false);
    }

    /**
     * A publisher of a query's rows that starts the query with {@code PRAGMA query_only} on when asked.
     *
     * @param worker the connection's worker
     * @param sql the query
     * @param args its parameters
     * @param prefetch rows per round trip
     * @param queryOnly start the query read-only (on a connection that also writes)
     */
    public RowPublisher(ConnectionWorker worker, String sql, Object[] args, int prefetch, boolean queryOnly) {
        this(worker, sql, args, prefetch, queryOnly, null);
    }

    /**
     * A publisher that also tells {@code onOpen} when a subscription's query starts on the worker (a call listener
     * marks the stream started there).
     *
     * @param worker the connection's worker
     * @param sql the query
     * @param args its parameters
     * @param prefetch rows per round trip
     * @param queryOnly start the query read-only (on a connection that also writes)
     * @param onOpen runs on the worker thread just before the query starts, or {@code null}; must not throw
     */
    public RowPublisher(ConnectionWorker worker, String sql, Object[] args, int prefetch, boolean queryOnly,
            Runnable onOpen) {
        this.onOpen = onOpen;
        this.worker = worker;
        this.sql = sql;
        this.args = args;
        this.prefetch = prefetch;
        this.queryOnly = queryOnly;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Row> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        RowSubscription s = new RowSubscription(subscriber, new CursorState(sql, args.clone()));
        subscriber.onSubscribe(s);
        if (worker.isClosed()) {
            // The connection is already closed, so this publisher has failed before any demand: signal it now
            // (rules 1.4 and 1.9) rather than leave a subscriber that has not requested yet without a signal.
            s.failNow(worker.closedException());
        }
    }

    /**
     * One subscriber's run of the query. Signals to the subscriber happen only inside {@link #drain()}, which the
     * {@code wip} counter serializes across the requesting threads and the fetch completions.
     */
    final class RowSubscription implements Flow.Subscription {
        private final Flow.Subscriber<? super Row> downstream;
        private final CursorState cursor;
        private final AtomicLong requested = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        /** Drain only. */
        private final ArrayDeque<Row> buffer = new ArrayDeque<>();
        /** Drain only. */
        private boolean terminated;
        /** Written in drain before the open is submitted; read by cancel() to decide whether to close. */
        private volatile boolean started;
        /** Written by a fetch completion before 'fetching' is cleared; read by drain. */
        private volatile List<Row> arrived;
        private volatile boolean sourceDone;
        private volatile Throwable error;
        private volatile boolean fetching;
        /** The fetch in flight, cancelled by cancel() so that a slow step stops at once. */
        private volatile java.util.concurrent.CompletableFuture<Batch> inFlight;
        private volatile boolean cancelled;
        private volatile Throwable badRequest;
        /**
         * The subscriber's context, captured at subscribe. Every page carries it: later pages are often fetched from
         * the previous page's completion on the worker thread, where no caller context is installed.
         */
        private final CallContext context;

        RowSubscription(Flow.Subscriber<? super Row> downstream, CursorState cursor) {
            this.downstream = downstream;
            this.cursor = cursor;
            this.context = CallContext.capture();
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = new IllegalArgumentException(
                        "Reactive Streams rule 3.9: request must be positive, was " + n);
            } else {
                long r;
                long u;
                do {
                    r = requested.get();
                    if (r == Long.MAX_VALUE) {
                        break;
                    }
                    u = r + n;
                    if (u < 0) {
                        u = Long.MAX_VALUE;
                    }
                } while (!requested.compareAndSet(r, u));
            }
            drain();
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            cursor.requestClose();
            java.util.concurrent.CompletableFuture<Batch> f = inFlight;
            if (f != null) {
                f.cancel(false);
            }
            if (started) {
                // Queued now, so any command the canceller sends afterwards finds the statement reset.
                worker.submit(s -> {
                    s.closeCursor(cursor);
                    return null;
                }, cursor.sql);
            }
            drain();
        }

        /** Fails the subscription without a fetch; drain() signals onError once, unless already terminated. */
        void failNow(Throwable t) {
            if (error == null) {
                error = t;
            }
            drain();
        }

        CursorState cursor() {
            return cursor;
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            for (;;) {
                if (!terminated) {
                    if (cancelled) {
                        terminated = true;
                        buffer.clear();
                    } else if (badRequest != null) {
                        terminated = true;
                        buffer.clear();
                        cancel();
                        downstream.onError(badRequest);
                    } else {
                        emit();
                    }
                }
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void emit() {
            // Read the end flags before the batch: a completion writes the batch first, so a set flag implies the
            // batch that preceded it is visible below.
            boolean done = sourceDone;
            Throwable failure = error;
            List<Row> batch = arrived;
            if (batch != null) {
                arrived = null;
                buffer.addAll(batch);
            }
            long r = requested.get();
            long emitted = 0;
            while (emitted != r && !buffer.isEmpty()) {
                if (cancelled) {
                    return;
                }
                Row row = buffer.poll();
                try {
                    downstream.onNext(row);
                } catch (Throwable t) {
                    terminated = true;
                    buffer.clear();
                    cancel();
                    downstream.onError(t);
                    return;
                }
                emitted++;
            }
            if (emitted != 0 && r != Long.MAX_VALUE) {
                requested.addAndGet(-emitted);
            }
            if (!buffer.isEmpty() || cancelled) {
                return;
            }
            if (failure != null) {
                terminated = true;
                downstream.onError(failure);
            } else if (done) {
                terminated = true;
                downstream.onComplete();
            } else if (requested.get() > 0 && !fetching && arrived == null && error == null && !sourceDone) {
                // The flags are re-read after 'fetching': a completion that landed since the reads above wrote its
                // batch or error before clearing 'fetching', and its own drain() brings this loop round again.
                fetching = true;
                fetch();
            }
        }

        private void fetch() {
            Job<Batch> job;
            if (!started) {
                started = true;
                job = s -> {
                    if (onOpen != null) {
                        onOpen.run();
                    }
                    if (queryOnly) {
                        s.openCursorQueryOnly(cursor);
                    } else {
                        s.openCursor(cursor);
                    }
                    return s.fetch(cursor, prefetch);
                };
            } else {
                job = s -> s.fetch(cursor, prefetch);
            }
            SqliteFuture<Batch> f = worker.submit(job, cursor.sql, context, DeadlineScope.current());
            inFlight = f;
            f.whenComplete((b, t) -> {
                inFlight = null;
                if (t != null) {
                    error = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                } else {
                    arrived = b.rows();
                    if (b.exhausted()) {
                        sourceDone = true;
                    }
                }
                fetching = false;
                drain();
            });
        }
    }
}
