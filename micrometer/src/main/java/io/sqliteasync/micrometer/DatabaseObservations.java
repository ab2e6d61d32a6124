package io.sqliteasync.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.sqliteasync.Database;
import io.sqliteasync.ExecuteResult;
import io.sqliteasync.Row;
import io.sqliteasync.SqliteBusyException;
import io.sqliteasync.SqliteClosedException;
import io.sqliteasync.SqliteConstraintException;
import io.sqliteasync.SqliteTimeoutException;
import io.sqliteasync.Transaction;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Calls on a {@link Database}, each observed as one {@link Observation} named {@value #CALL}: from the call until its
 * future completes (or a stream ends), so queue wait and execution together. With Micrometer's
 * {@code DefaultMeterObservationHandler} that is a timer per call kind and outcome.
 *
 * <ul>
 *   <li>Low-cardinality tags: {@code db} (the name given here), {@code kind} ({@code execute}, {@code fetch},
 *       {@code stream}, {@code transaction}, or any kind passed to {@link #observe}), {@code outcome}
 *       ({@code success}, {@code busy} for SQLITE_BUSY/SQLITE_LOCKED, {@code constraint}, {@code timeout},
 *       {@code cancelled}, {@code closed}, {@code error}).</li>
 *   <li>High-cardinality: {@code sql}, the statement text (never a low-cardinality tag: it would make a meter per
 *       statement), and {@code rows} for fetches and streams.</li>
 * </ul>
 *
 * <p>With a {@link MeterRegistry}, rows delivered by {@link #stream} are counted in {@value #ROWS_STREAMED}
 * ({@code db} tag). A returned future completes after its observation stopped; cancelling it cancels the call, and
 * the observation ends with {@code outcome=cancelled}. Thread-safe.
 */
public final class DatabaseObservations {
    /** The observation name. */
    public static final String CALL = "sqlite.async.call";
    /** The counter of rows delivered by streams. */
    public static final String ROWS_STREAMED = "sqlite.async.rows.streamed";

    private final Database database;
    private final String name;
    private final ObservationRegistry observations;
    private final Counter rowsStreamed;

    /**
     * Observed calls on a database.
     *
     * @param database the database, not {@code null}
     * @param name the value of the {@code db} tag, not {@code null}
     * @param observations the observation registry, not {@code null}
     * @param meters where to count streamed rows, or {@code null} for no counter
     */
    public DatabaseObservations(Database database, String name, ObservationRegistry observations,
            MeterRegistry meters) {
        this.database = Objects.requireNonNull(database, "database");
        this.name = Objects.requireNonNull(name, "name");
        this.observations = Objects.requireNonNull(observations, "observations");
        this.rowsStreamed = meters == null ? null : Counter.builder(ROWS_STREAMED).tag("db", name)
                .description("Rows delivered by streams").register(meters);
    }

    /**
     * {@link Database#execute(String, Object...)}, observed with {@code kind=execute}.
     *
     * @param sql one statement
     * @param args its parameters
     * @return the call's outcome
     */
    public CompletableFuture<ExecuteResult> execute(String sql, Object... args) {
        return observe("execute", sql, () -> database.execute(sql, args));
    }

    /**
     * {@link Database#fetchAll(String, Object...)}, observed with {@code kind=fetch} and the row count.
     *
     * @param sql one query
     * @param args its parameters
     * @return the call's outcome
     */
    public CompletableFuture<List<Row>> fetchAll(String sql, Object... args) {
        Observation o = start("fetch", sql);
        return stopping(database.fetchAll(sql, args), (rows, e) -> {
            if (rows != null) {
                o.highCardinalityKeyValue("rows", Integer.toString(rows.size()));
            }
            stop(o, e);
        });
    }

    /**
     * {@link Database#transaction(Function)}, observed with {@code kind=transaction} from the wait for the writer
     * to the commit or rollback.
     *
     * @param fn the transaction's work
     * @param <T> its result
     * @return the call's outcome
     */
    public <T> CompletableFuture<T> transaction(Function<? super Transaction, ? extends CompletionStage<T>> fn) {
        return observe("transaction", null, () -> database.transaction(fn));
    }

    /**
     * {@link Database#stream(String, Object...)}, observed with {@code kind=stream} from subscription until the
     * stream completes, fails or is cancelled; its rows are counted.
     *
     * @param sql one query
     * @param args its parameters
     * @return a publisher that observes each subscription
     */
    public Flow.Publisher<Row> stream(String sql, Object... args) {
        Flow.Publisher<Row> rows = database.stream(sql, args);
        return subscriber -> rows.subscribe(new CountingSubscriber(subscriber, start("stream", sql)));
    }

    /**
     * Observes any call that returns a future: the observation starts now and stops when the future completes.
     *
     * @param kind the {@code kind} tag
     * @param sql the statement text for the high-cardinality {@code sql} key, or {@code null}
     * @param call makes the call
     * @param <T> the result
     * @return a future completed as the one {@code call} returned, after the observation stopped
     */
    public <T> CompletableFuture<T> observe(String kind, String sql, Supplier<? extends CompletableFuture<T>> call) {
        Observation o = start(kind, sql);
        CompletableFuture<T> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            stop(o, e);
            throw e;
        }
        return stopping(f, (v, e) -> stop(o, e));
    }

    /**
     * The future the caller gets completes after the observation stopped, so that a caller woken by it sees the
     * observation (and its timer) recorded; cancelling it cancels the database's call.
     */
    private static <T> CompletableFuture<T> stopping(CompletableFuture<T> call,
            BiConsumer<? super T, ? super Throwable> stop) {
        // Not call.whenComplete(stop): a dependent stage cancelled first never runs its action.
        CompletableFuture<T> result = new CompletableFuture<>();
        call.whenComplete((v, e) -> {
            stop.accept(v, e);
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(v);
            }
        });
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                call.cancel(true);
            }
        });
        return result;
    }

    private Observation start(String kind, String sql) {
        Observation o = Observation.createNotStarted(CALL, observations)
                .contextualName("sqlite " + kind)
                .lowCardinalityKeyValue("db", name)
                .lowCardinalityKeyValue("kind", kind);
        if (sql != null) {
            o.highCardinalityKeyValue("sql", sql);
        }
        return o.start();
    }

    private static void stop(Observation o, Throwable failure) {
        Throwable e = unwrap(failure);
        o.lowCardinalityKeyValue("outcome", outcome(e));
        if (e != null && !(e instanceof CancellationException)) {
            o.error(e);
        }
        o.stop();
    }

    static String outcome(Throwable e) {
        if (e == null) {
            return "success";
        }
        if (e instanceof CancellationException) {
            return "cancelled";
        }
        if (e instanceof SqliteTimeoutException) {
            return "timeout";
        }
        if (e instanceof SqliteBusyException) {
            return "busy";
        }
        if (e instanceof SqliteConstraintException) {
            return "constraint";
        }
        if (e instanceof SqliteClosedException) {
            return "closed";
        }
        return "error";
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** Counts rows and ends the observation exactly once, whichever of complete, error or cancel comes first. */
    private final class CountingSubscriber implements Flow.Subscriber<Row> {
        private final Flow.Subscriber<? super Row> downstream;
        private final Observation observation;
        private final AtomicBoolean done = new AtomicBoolean();
        private long rows;

        CountingSubscriber(Flow.Subscriber<? super Row> downstream, Observation observation) {
            this.downstream = downstream;
            this.observation = observation;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            downstream.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    s.request(n);
                }

                @Override
                public void cancel() {
                    s.cancel();
                    finish(new CancellationException("subscription cancelled"));
                }
            });
        }

        @Override
        public void onNext(Row item) {
            rows++;
            if (rowsStreamed != null) {
                rowsStreamed.increment();
            }
            downstream.onNext(item);
        }

        @Override
        public void onError(Throwable t) {
            finish(t);
            downstream.onError(t);
        }

        @Override
        public void onComplete() {
            finish(null);
            downstream.onComplete();
        }

        private void finish(Throwable t) {
            if (done.compareAndSet(false, true)) {
                // rows is written by the signalling thread; Reactive Streams signals are serialized and the CAS
                // orders this read after the last onNext of that thread.
                observation.highCardinalityKeyValue("rows", Long.toString(rows));
                stop(observation, t);
            }
        }
    }
}
