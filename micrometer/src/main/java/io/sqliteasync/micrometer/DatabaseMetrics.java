package io.sqliteasync.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseStats;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds a {@link Database}'s pool figures ({@link Database#stats()}) to a {@link MeterRegistry}, each tagged
 * {@code db=<name>}:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code sqlite.async.writer.queue}</td><td>gauge</td><td>callers waiting for the writer</td></tr>
 *   <tr><td>{@code sqlite.async.reader.queue}</td><td>gauge</td><td>callers waiting for a reader</td></tr>
 *   <tr><td>{@code sqlite.async.writer.busy}</td><td>gauge</td><td>1 while the writer is held</td></tr>
 *   <tr><td>{@code sqlite.async.readers.busy}</td><td>gauge</td><td>readers held</td></tr>
 *   <tr><td>{@code sqlite.async.readers}</td><td>gauge</td><td>reader connections</td></tr>
 *   <tr><td>{@code sqlite.async.writer.wait}</td><td>function timer</td><td>acquisitions of the writer and the
 *       total time waited for it</td></tr>
 *   <tr><td>{@code sqlite.async.reader.wait}</td><td>function timer</td><td>the same for readers</td></tr>
 *   <tr><td>{@code sqlite.async.writer.wait.max}, {@code sqlite.async.reader.wait.max}</td><td>time gauge</td>
 *       <td>the longest wait so far</td></tr>
 *   <tr><td>{@code sqlite.async.acquire.timeouts}</td><td>counter</td><td>waits for a connection that timed
 *       out</td></tr>
 *   <tr><td>{@code sqlite.async.transaction.timeouts}</td><td>counter</td><td>transactions rolled back for
 *       running too long</td></tr>
 * </table>
 *
 * <p>Every meter reads {@code stats()} when the registry polls it (a few volatile reads; no call into SQLite). Per-call
 * figures (execution time by call kind, busy, cancellations, rows streamed) come from {@link DatabaseObservations}.
 * Thread-safe.
 */
public final class DatabaseMetrics implements MeterBinder {
    private final Database database;
    private final Tags tags;

    /**
     * Metrics for a database, tagged {@code db=name} plus the given tags.
     *
     * @param database the database, not {@code null}
     * @param name the value of the {@code db} tag, not {@code null}
     * @param tags further tags
     */
    public DatabaseMetrics(Database database, String name, Iterable<Tag> tags) {
        this.database = Objects.requireNonNull(database, "database");
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
     * Registers the meters; the registry keeps a weak reference to the database, as for every Micrometer gauge.
     *
     * @param registry the registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
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
