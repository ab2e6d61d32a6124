package io.sqliteasync;

import io.sqliteasync.internal.worker.Job;
import io.sqliteasync.internal.worker.Session;
import io.sqliteasync.internal.worker.SqliteFuture;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link CallListener}s of one client, and the code that reports a call to them. A client's hot path reads
 * {@link #get()} once: {@code null} means no listener and nothing else happens.
 */
final class Listeners {
    private static final System.Logger LOG = System.getLogger(CallListener.class.getName());
    /** Whether a listener's failure was logged at WARNING yet; later ones go to DEBUG, so a broken one cannot flood. */
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /** {@code null}, the one listener, or a {@link Many}. */
    private volatile CallListener current;

    Listeners(CallListener initial) {
        this.current = initial;
    }

    /** The listener to tell, or {@code null}; any thread. */
    CallListener get() {
        return current;
    }

    synchronized void add(CallListener l) {
        Objects.requireNonNull(l, "listener");
        CallListener c = current;
        if (c == null) {
            current = l;
        } else if (c instanceof Many) {
            CallListener[] all = Arrays.copyOf(((Many) c).all, ((Many) c).all.length + 1);
            all[all.length - 1] = l;
            current = new Many(all);
        } else {
            current = new Many(new CallListener[] {c, l});
        }
    }

    synchronized boolean remove(CallListener l) {
        CallListener c = current;
        if (c == l) {
            current = null;
            return true;
        }
        if (!(c instanceof Many)) {
            return false;
        }
        CallListener[] all = ((Many) c).all;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == l) {
                CallListener[] rest = new CallListener[all.length - 1];
                System.arraycopy(all, 0, rest, 0, i);
                System.arraycopy(all, i + 1, rest, i, all.length - i - 1);
                current = rest.length == 1 ? rest[0] : new Many(rest);
                return true;
            }
        }
        return false;
    }

    /** Several listeners: each gets its own context back. */
    private static final class Many implements CallListener {
        final CallListener[] all;

        Many(CallListener[] all) {
            this.all = all;
        }

        @Override
        public Object onSubmit(CallEvent call) {
            Object[] contexts = new Object[all.length];
            for (int i = 0; i < all.length; i++) {
                try {
                    contexts[i] = all[i].onSubmit(call);
                } catch (RuntimeException | LinkageError | AssertionError e) {
                    failed("onSubmit", all[i], e);
                }
            }
            return contexts;
        }

        @Override
        public void onStart(CallEvent call, Object context) {
            Object[] contexts = (Object[]) context;
            for (int i = 0; i < all.length; i++) {
                try {
                    all[i].onStart(call, contexts[i]);
                } catch (RuntimeException | LinkageError | AssertionError e) {
                    failed("onStart", all[i], e);
                }
            }
        }

        @Override
        public void onEnd(CallEvent call, Object context) {
            Object[] contexts = (Object[]) context;
            for (int i = 0; i < all.length; i++) {
                try {
                    all[i].onEnd(call, contexts[i]);
                } catch (RuntimeException | LinkageError | AssertionError e) {
                    failed("onEnd", all[i], e);
                }
            }
        }
    }

    private static void failed(String callback, CallListener l, Throwable e) {
        Level level = WARNED.compareAndSet(false, true) ? Level.WARNING : Level.DEBUG;
        LOG.log(level, "CallListener." + callback + " of " + l + " threw; the call goes on (further listener failures"
                + " are logged at DEBUG)", e);
    }

    // ------------------------------------------------------------------ reporting a call

    /** A call was made: a new event, told to the listener on the calling thread. */
    static CallEvent submit(CallListener l, CallEvent.Kind kind, CallEvent.Role role, String sql) {
        CallEvent ev = new CallEvent(kind, role, sql, System.nanoTime());
        try {
            ev.context = l.onSubmit(ev);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed("onSubmit", l, e);
        }
        return ev;
    }

    /** The call starts on the worker thread now. */
    static void start(CallListener l, CallEvent ev) {
        ev.start(System.nanoTime());
        try {
            l.onStart(ev, ev.context);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed("onStart", l, e);
        }
    }

    /** Ends the event (once) and tells the listener; later ends do nothing. */
    static void end(CallListener l, CallEvent ev, Throwable failure) {
        if (!ev.end(failure)) {
            return;
        }
        try {
            l.onEnd(ev, ev.context);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed("onEnd", l, e);
        }
    }

    /** A call refused before anything was queued: it ends at once, failed. */
    static <T> CompletableFuture<T> refused(CallListener l, CallEvent ev, SqliteException refused) {
        end(l, ev, refused);
        return SqliteFuture.failed(refused);
    }

    /** The job, marking the call started when it begins on the worker; a result nobody takes is still discarded. */
    static <T> Job<T> started(CallListener l, CallEvent ev, Job<T> job) {
        return new Job<T>() {
            @Override
            public T run(Session s) throws Exception {
                start(l, ev);
                return job.run(s);
            }

            @Override
            public void discard(T result) {
                job.discard(result);
            }
        };
    }

    /**
     * The future handed to the caller: it completes after the listener heard of the end, so that whoever is woken by
     * it finds the call reported. Cancelling it cancels the call.
     */
    static <T> CompletableFuture<T> ending(CallListener l, CallEvent ev, CompletableFuture<T> call, Job<T> job) {
        SqliteFuture<T> out = new SqliteFuture<>();
        call.whenComplete((v, e) -> {
            end(l, ev, e);
            boolean taken = e == null ? out.complete(v) : out.completeExceptionally(e);
            if (!taken && e == null && job != null) {
                // The caller cancelled after the call had completed but before this ran: release the result.
                try {
                    job.discard(v);
                } catch (RuntimeException x) {
                    LOG.log(Level.WARNING, "releasing an unwanted result failed", x);
                }
            }
        });
        if (!out.isDone()) {
            out.whenComplete((v, e) -> {
                if (out.isCancelled()) {
                    call.cancel(false);
                }
            });
        }
        return out;
    }

    /** A stream whose every subscription is one call: from subscribe to its last signal or cancel. */
    static Flow.Publisher<Row> stream(CallListener l, CallEvent.Role role, String sql, StreamSource source) {
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            CallEvent ev = submit(l, CallEvent.Kind.STREAM, role, sql);
            source.publisher(() -> start(l, ev)).subscribe(new Flow.Subscriber<Row>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscriber.onSubscribe(new Flow.Subscription() {
                        @Override
                        public void request(long n) {
                            s.request(n);
                        }

                        @Override
                        public void cancel() {
                            s.cancel();
                            end(l, ev, new java.util.concurrent.CancellationException("the subscription was cancelled"));
                        }
                    });
                }

                @Override
                public void onNext(Row item) {
                    ev.addRows(1);
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable t) {
                    end(l, ev, t);
                    subscriber.onError(t);
                }

                @Override
                public void onComplete() {
                    end(l, ev, null);
                    subscriber.onComplete();
                }
            });
        };
    }

    /** Makes the publisher of one subscription, running {@code onOpen} on the worker when its query starts. */
    @FunctionalInterface
    interface StreamSource {
        Flow.Publisher<Row> publisher(Runnable onOpen);
    }
}
