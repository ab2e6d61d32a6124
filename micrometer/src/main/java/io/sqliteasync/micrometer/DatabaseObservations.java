package io.sqliteasync.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.sqliteasync.AsyncConnection;
import io.sqliteasync.CallEvent;
import io.sqliteasync.CallListener;
import io.sqliteasync.Database;
import java.util.Objects;

/**
 * One {@link Observation} named {@value #CALL} per call on a {@link Database} or an {@link AsyncConnection}: every
 * call, whoever makes it (direct calls, R2DBC and Spring Data traffic, transactions, snapshots, cursors, streams,
 * blocking views). It is a {@link CallListener}: add it with {@link #observe(Database, String, ObservationRegistry)},
 * {@link #observe(AsyncConnection, String, ObservationRegistry)}, or through
 * {@link io.sqliteasync.DatabaseOptions.Builder#listener}.
 *
 * <ul>
 *   <li>The observation starts when the call is made, on the calling thread (so the caller's current observation, a
 *       request's span say, is its parent), records the event {@value #STARTED} when the call starts on its worker
 *       (for a trace: the wait ends and the run begins there), and stops when the call ends, before its future
 *       completes.</li>
 *   <li>Low-cardinality tags: {@code db} (the name given here), {@code kind} ({@code execute}, {@code executeMany},
 *       {@code executeScript}, {@code fetch}, {@code cursor}, {@code cursor.fetch}, {@code stream}, {@code begin},
 *       {@code commit}, {@code rollback}), {@code role} ({@code writer}, {@code reader}, {@code connection}) and
 *       {@code outcome} ({@code success}, {@code busy}, {@code locked}, {@code constraint}, {@code timeout},
 *       {@code cancelled}, {@code closed}, {@code error}).</li>
 *   <li>High-cardinality: {@code sql}, the statement text (never a low-cardinality tag: it would make a meter per
 *       statement), and {@code rows} for fetches, cursor fetches and streams.</li>
 * </ul>
 *
 * <p>With Micrometer's {@code DefaultMeterObservationHandler} that is a timer {@value #CALL} per db, kind, role and
 * outcome, covering wait and run together ({@link DatabaseMetrics} times them apart). A failure is the
 * observation's error, except a cancellation. Thread-safe; the callbacks do not block.
 */
public final class DatabaseObservations implements CallListener {
    /** The observation name. */
    public static final String CALL = "sqlite.async.call";
    /** The event recorded when a call starts on its worker. */
    public static final String STARTED = "sqlite.async.call.started";

    private static final Observation.Event STARTED_EVENT = Observation.Event.of(STARTED,
            "the call started on its worker");

    private final String name;
    private final ObservationRegistry observations;

    /**
     * A listener that observes calls in a registry; add it to a client yourself, or use {@code observe}.
     *
     * @param name the value of the {@code db} tag, not {@code null}
     * @param observations the observation registry, not {@code null}
     */
    public DatabaseObservations(String name, ObservationRegistry observations) {
        this.name = Objects.requireNonNull(name, "name");
        this.observations = Objects.requireNonNull(observations, "observations");
    }

    /**
     * Observes every call made from now on through a database.
     *
     * @param database the database
     * @param name the value of the {@code db} tag
     * @param observations the observation registry
     * @return the listener, added to the database (remove it with {@link Database#removeListener})
     */
    public static DatabaseObservations observe(Database database, String name, ObservationRegistry observations) {
        DatabaseObservations o = new DatabaseObservations(name, observations);
        database.addListener(o);
        return o;
    }

    /**
     * Observes every call made from now on through a connection.
     *
     * @param connection the connection
     * @param name the value of the {@code db} tag
     * @param observations the observation registry
     * @return the listener, added to the connection (remove it with {@link AsyncConnection#removeListener})
     */
    public static DatabaseObservations observe(AsyncConnection connection, String name,
            ObservationRegistry observations) {
        DatabaseObservations o = new DatabaseObservations(name, observations);
        connection.addListener(o);
        return o;
    }

    /** Starts the call's observation; on the calling thread, so the caller's current observation is its parent. */
    @Override
    public Object onSubmit(CallEvent call) {
        Observation o = Observation.createNotStarted(CALL, observations)
                .contextualName("sqlite " + call.kind().tag())
                .lowCardinalityKeyValue("db", name)
                .lowCardinalityKeyValue("kind", call.kind().tag())
                .lowCardinalityKeyValue("role", call.role().tag());
        if (call.sql() != null) {
            o.highCardinalityKeyValue("sql", call.sql());
        }
        return o.start();
    }

    /** Marks the end of the wait; on the worker thread. */
    @Override
    public void onStart(CallEvent call, Object context) {
        ((Observation) context).event(STARTED_EVENT);
    }

    /** Stops the observation with the outcome; on the thread that completes the call. */
    @Override
    public void onEnd(CallEvent call, Object context) {
        Observation o = (Observation) context;
        o.lowCardinalityKeyValue("outcome", call.outcome().tag());
        CallEvent.Kind k = call.kind();
        if (k == CallEvent.Kind.FETCH || k == CallEvent.Kind.CURSOR_FETCH || k == CallEvent.Kind.STREAM) {
            o.highCardinalityKeyValue("rows", Long.toString(call.rows()));
        }
        if (call.error() != null && call.outcome() != CallEvent.Outcome.CANCELLED) {
            o.error(call.error());
        }
        o.stop();
    }

    @Override
    public String toString() {
        return "DatabaseObservations[" + name + "]";
    }
}
