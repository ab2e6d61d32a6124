package io.sqliteasync.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sqliteasync.AsyncConnection;
import io.sqliteasync.CallListener;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseStats;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds a {@link Database}'s or an {@link AsyncConnection}'s meters to a {@link MeterRegistry}, each tagged
 * {@code db=<name>} (plus the tags given). Per-call meters come from a {@link CallListener} that
 * {@link #bindTo} adds to the client, so they count every call: direct ones, R2DBC and Spring Data traffic, calls
 * through transactions, snapshots, cursors, streams and blocking views.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@value #CALLS}</td><td>timer</td><td>kind, outcome, role</td><td>every call; the time it ran on its
 *       worker (zero for one that never started)</td></tr>
 *   <tr><td>{@value #WAIT}</td><td>timer</td><td>role</td><td>time each call waited before it ran: for the writer
 *       or a reader, and in the connection's queue</td></tr>
 *   <tr><td>{@value #BUSY}, {@value #LOCKED}, {@value #CANCELLED}, {@value #TIMEOUTS}</td><td>counter</td>
 *       <td>role</td><td>calls that ended {@code SQLITE_BUSY}, {@code SQLITE_LOCKED}, cancelled, timed out</td></tr>
 *   <tr><td>{@value #ROWS}</td><td>distribution summary</td><td>kind</td><td>rows per fetch, cursor fetch and
 *       stream</td></tr>
 *   <tr><td>{@value #ROWS_STREAMED}</td><td>counter</td><td></td><td>rows delivered by streams and cursor
 *       fetches</td></tr>
 *   <tr><td>{@value #PENDING}, {@value #ACTIVE}</td><td>gauge</td><td>role</td><td>calls made and not started
 *       (the queue depth), calls running</td></tr>
 *   <tr><td>{@code sqlite.async.writer.queue}, {@code sqlite.async.reader.queue}</td><td>gauge</td><td></td>
 *       <td>{@code Database} only: callers waiting for the writer, for a reader</td></tr>
 *   <tr><td>{@code sqlite.async.writer.busy}, {@code sqlite.async.readers.busy}, {@code sqlite.async.readers}</td>
 *       <td>gauge</td><td></td><td>{@code Database} only: 1 while the writer is held, readers held, reader
 *       connections</td></tr>
 *   <tr><td>{@code sqlite.async.writer.wait}, {@code sqlite.async.reader.wait}</td><td>function timer</td><td></td>
 *       <td>{@code Database} only: leases of the writer / a reader and the total time waited for them</td></tr>
 *   <tr><td>{@code sqlite.async.writer.wait.max}, {@code sqlite.async.reader.wait.max}</td><td>time gauge</td>
 *       <td></td><td>{@code Database} only: the longest wait so far</td></tr>
 *   <tr><td>{@code sqlite.async.acquire.timeouts}, {@code sqlite.async.transaction.timeouts}</td><td>counter</td>
 *       <td></td><td>{@code Database} only: waits for a connection that timed out, transactions rolled back for
 *       running too long</td></tr>
 * </table>
 *
 * <p>{@code kind} is {@link io.sqliteasync.CallEvent.Kind#tag()} ({@code execute}, {@code executeMany},
 * {@code executeScript}, {@code fetch}, {@code cursor}, {@code cursor.fetch}, {@code stream}, {@code begin},
 * {@code commit}, {@code rollback}); {@code outcome} is {@code success}, {@code busy}, {@code locked},
 * {@code constraint}, {@code timeout}, {@code cancelled}, {@code closed} or {@code error}; {@code role} is
 * {@code writer}, {@code reader} or {@code connection}. The SQL is never a tag.
 *
 * <p><b>Threads and cost.</b> {@link #bindTo} may run on any thread. The listener updates meters on the threads
 * that make, start and complete calls (see {@link CallListener}): a few array reads and the meters' own lock-free
 * updates, no allocation. The pool gauges read {@link Database#stats()} when the registry polls them. Thread-safe.
 * {@link #close()} removes the listeners this binder added.
 */
public final class DatabaseMetrics implements MeterBinder, AutoCloseable {
    /** Timer of every call by kind, outcome and role: the time it ran. */
    public static final String CALLS = "sqlite.async.calls";
    /** Timer of the time calls waited before running, by role. */
    public static final String WAIT = "sqlite.async.wait";
    /** Counter of calls that ended {@code SQLITE_BUSY}. */
    public static final String BUSY = "sqlite.async.busy";
    /** Counter of calls that ended {@code SQLITE_LOCKED}. */
    public static final String LOCKED = "sqlite.async.locked";
    /** Counter of cancelled calls. */
    public static final String CANCELLED = "sqlite.async.cancelled";
    /** Counter of calls that timed out (deadline, acquire timeout, transaction timeout). */
    public static final String TIMEOUTS = "sqlite.async.timeouts";
    /** Distribution of rows per fetch, cursor fetch and stream. */
    public static final String ROWS = "sqlite.async.rows";
    /** Counter of rows delivered by streams and cursor fetches. */
    public static final String ROWS_STREAMED = "sqlite.async.rows.streamed";
    /** Gauge of calls made and not started yet, by role. */
    public static final String PENDING = "sqlite.async.calls.pending";
    /** Gauge of calls running, by role. */
    public static final String ACTIVE = "sqlite.async.calls.active";

    private final Database database;
    private final AsyncConnection connection;
    private final Tags tags;
    private final List<CallListener> added = new CopyOnWriteArrayList<>();

    /**
     * Metrics for a database, tagged {@code db=name} plus the given tags.
     *
     * @param database the database, not {@code null}
     * @param name the value of the {@code db} tag, not {@code null}
     * @param tags further tags
     */
    public DatabaseMetrics(Database database, String name, Iterable<Tag> tags) {
        this.database = Objects.requireNonNull(database, "database");
        this.connection = null;
        this.tags = Tags.of("db", Objects.requireNonNull(name, "name")).and(tags);
    }

    /**
     * Metrics for a database, tagged {@code db=name}.
     *
     * @param database the database, not {@code null}
     * @param name the value of the {@code db} tag, not {@code null}
     */
    public DatabaseMetrics(Database database, String name) {
        this(database, name, Tags.empty());
    }

    /**
     * Metrics for one connection, tagged {@code db=name} plus the given tags: the per-call meters, with
     * {@code role=connection}.
     *
     * @param connection the connection, not {@code null}
     * @param name the value of the {@code db} tag, not {@code null}
     * @param tags further tags
     */
    public DatabaseMetrics(AsyncConnection connection, String name, Iterable<Tag> tags) {
        this.database = null;
        this.connection = Objects.requireNonNull(connection, "connection");
        this.tags = Tags.of("db", Objects.requireNonNull(name, "name")).and(tags);
    }

    /**
     * Metrics for one connection, tagged {@code db=name}.
     *
     * @param connection the connection, not {@code null}
     * @param name the value of the {@code db} tag, not {@code null}
     */
    public DatabaseMetrics(AsyncConnection connection, String name) {
        this(connection, name, Tags.empty());
    }

    /**
     * Registers the meters and adds the listener that feeds the per-call ones to the database or connection, so
     * calls made from now on are counted. The registry keeps a weak reference to the database for its gauges, as for
     * every Micrometer gauge. Binding to several registries adds one listener per registry.
     *
     * @param registry the registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        CallMeters meters = new CallMeters(registry, tags, connection != null);
        if (connection != null) {
            connection.addListener(meters);
            added.add(meters);
            return;
        }
        gauge(registry, "sqlite.async.writer.queue", "Callers waiting for the writer", DatabaseStats::writerQueueLength);
        gauge(registry, "sqlite.async.reader.queue", "Callers waiting for a reader", DatabaseStats::readerQueueLength);
        gauge(registry, "sqlite.async.writer.busy", "1 while the writer is held", s -> s.writerBusy() ? 1 : 0);
        gauge(registry, "sqlite.async.readers.busy", "Readers held", DatabaseStats::readersBusy);
        gauge(registry, "sqlite.async.readers", "Reader connections", DatabaseStats::readers);
        timer(registry, "sqlite.async.writer.wait", "Waits for the writer", DatabaseStats::writerAcquisitions,
                s -> s.writerWaitTotal().toNanos());
        timer(registry, "sqlite.async.reader.wait", "Waits for a reader", DatabaseStats::readerAcquisitions,
                s -> s.readerWaitTotal().toNanos());
        TimeGauge.builder("sqlite.async.writer.wait.max", database, TimeUnit.NANOSECONDS,
                        d -> d.stats().writerWaitMax().toNanos())
                .description("Longest wait for the writer").tags(tags).register(registry);
        TimeGauge.builder("sqlite.async.reader.wait.max", database, TimeUnit.NANOSECONDS,
                        d -> d.stats().readerWaitMax().toNanos())
                .description("Longest wait for a reader").tags(tags).register(registry);
        counter(registry, "sqlite.async.acquire.timeouts", "Waits for a connection that timed out",
                DatabaseStats::acquireTimeouts);
        counter(registry, "sqlite.async.transaction.timeouts", "Transactions rolled back for running too long",
                DatabaseStats::transactionTimeouts);
        database.addListener(meters);
        added.add(meters);
    }

    /**
     * Removes the listeners {@link #bindTo} added, so calls are no longer counted; the meters stay registered. Any
     * thread; idempotent.
     */
    @Override
    public void close() {
        for (CallListener l : added) {
            if (connection != null) {
                connection.removeListener(l);
            } else {
                database.removeListener(l);
            }
            added.remove(l);
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<DatabaseStats> f) {
        Gauge.builder(name, database, d -> f.applyAsDouble(d.stats())).description(description).tags(tags)
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToLongFunction<DatabaseStats> f) {
        FunctionCounter.builder(name, database, d -> f.applyAsLong(d.stats())).description(description).tags(tags)
                .register(registry);
    }

    private void timer(MeterRegistry registry, String name, String description, ToLongFunction<DatabaseStats> count,
            ToDoubleFunction<DatabaseStats> totalNanos) {
        FunctionTimer.builder(name, database, d -> count.applyAsLong(d.stats()),
                        d -> totalNanos.applyAsDouble(d.stats()), TimeUnit.NANOSECONDS)
                .description(description).tags(tags).register(registry);
    }
}
