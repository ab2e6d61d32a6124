package io.sqliteasync.r2dbc;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The outcome of one statement (one binding set of it): an update count, or rows streamed from an open cursor as
 * demand arrives. Consumable once: the second of {@link #getRowsUpdated()}, {@link #map}, {@link #flatMap} fails
 * with {@link IllegalStateException}. Signals arrive on the thread of the SQLite connection that produced the rows
 * (its worker thread): do not block in the mapping functions.
 */
final class SqliteResult implements Result {
    /** The rows' metadata, the update count, or both kinds of segment, as produced. */
    private final Flux<Segment> segments;
    /** Releases what an unconsumed result holds (an open cursor); idempotent. */
    private final Runnable discard;
    /** Whether this result counts its rows as updated rows (DML with RETURNING). */
    private final boolean countRows;
    /** Whether this result holds the rows of a query, which update nothing. */
    private final boolean query;
    private final AtomicBoolean consumed;

    private SqliteResult(Flux<Segment> segments, Runnable discard, boolean countRows, boolean query,
            AtomicBoolean consumed) {
        this.segments = segments;
        this.discard = discard;
        this.countRows = countRows;
        this.query = query;
        this.consumed = consumed;
    }

    static SqliteResult updateCount(long count) {
        return new SqliteResult(Flux.just(new UpdateCountSegment(count)), () -> { }, false, false, new AtomicBoolean());
    }

    static SqliteResult rows(Flux<Row> rows, Runnable discard, boolean countRows) {
        return new SqliteResult(withMessages(rows.map(RowSegment::new)), discard, countRows, !countRows, new AtomicBoolean());
    }

    /**
     * The segments, once; a database error while producing them becomes a final {@link Result.Message} segment, as
     * the SPI wants: {@link #flatMap} hands it to the mapping function, {@link #filter} may drop it, and
     * {@link #map} and {@link #getRowsUpdated()} turn it back into an error signal.
     */
    private Flux<Segment> take() {
        return Flux.defer(() -> {
            if (!consumed.compareAndSet(false, true)) {
                return Flux.error(new IllegalStateException("a Result can be consumed only once"));
            }
            return segments;
        });
    }

    private static Flux<Segment> withMessages(Flux<Segment> segments) {
        return segments.onErrorResume(R2dbcException.class, e -> Mono.just(new ErrorSegment(e)));
    }

    /** Turns message segments carrying an error back into the error signal. */
    private static Flux<Segment> raising(Flux<Segment> segments) {
        return segments.handle((s, sink) -> {
            if (s instanceof Result.Message) {
                sink.error(((Result.Message) s).exception());
            } else {
                sink.next(s);
            }
        });
    }

    /**
     * The rows changed: the count for INSERT, UPDATE, DELETE and DDL; the number of rows returned for DML with
     * RETURNING; nothing for a query, which then does not run at all (its cursor opens only for its rows).
     *
     * @return a mono completed on the connection's worker thread
     */
    @Override
    public Mono<Long> getRowsUpdated() {
        if (query) {
            return Mono.defer(() -> {
                if (!consumed.compareAndSet(false, true)) {
                    return Mono.error(new IllegalStateException("a Result can be consumed only once"));
                }
                // A query's rows are not wanted: release its cursor instead of stepping through them.
                discard.run();
                return Mono.empty();
            });
        }
        if (countRows) {
            return raising(take()).filter(Result.RowSegment.class::isInstance).count();
        }
        return raising(take()).filter(UpdateCount.class::isInstance).map(s -> ((UpdateCount) s).value()).reduce(Long::sum);
    }

    /**
     * Maps each row; update counts are skipped.
     *
     * @param mappingFunction called on the worker thread with each row and the metadata; must not return
     *     {@code null}
     * @return the mapped values, as demand arrives
     */
    @Override
    public <T> Flux<T> map(BiFunction<Row, RowMetadata, ? extends T> mappingFunction) {
        SqliteConnection.requireArgument(mappingFunction, "mappingFunction");
        return raising(take()).handle((s, sink) -> {
            if (s instanceof RowSegment) {
                Row r = ((RowSegment) s).row();
                sink.next(Objects.requireNonNull(mappingFunction.apply(r, r.getMetadata()),
                        "the mapping function returned null"));
            }
        });
    }

    /**
     * Maps each row; update counts are skipped.
     *
     * @param mappingFunction called on the worker thread with each row
     * @return the mapped values, as demand arrives
     */
    @Override
    public <T> Flux<T> map(Function<? super Readable, ? extends T> mappingFunction) {
        SqliteConnection.requireArgument(mappingFunction, "mappingFunction");
        return map((row, metadata) -> mappingFunction.apply(row));
    }

    /**
     * A result with only the segments that pass the filter.
     *
     * @param filter called on the worker thread with each segment
     * @return the filtered result, consumable once (and consuming this one)
     */
    @Override
    public Result filter(Predicate<Segment> filter) {
        SqliteConnection.requireArgument(filter, "filter");
        return new SqliteResult(segments.filter(filter), discard, countRows, query, consumed);
    }

    /**
     * Maps each segment ({@link RowSegment}, {@link UpdateCount}, and a final {@link Result.Message} when a
     * database error ended the rows) to a publisher and concatenates them.
     *
     * @param mappingFunction called on the worker thread with each segment
     * @return the concatenated values
     */
    @Override
    public <T> Flux<T> flatMap(Function<Segment, ? extends Publisher<? extends T>> mappingFunction) {
        SqliteConnection.requireArgument(mappingFunction, "mappingFunction");
        return take().concatMap(mappingFunction::apply);
    }

    record RowSegment(Row row) implements Result.RowSegment {
    }

    record UpdateCountSegment(long value) implements Result.UpdateCount {
    }

    /** A database error met while the rows were produced; the rows before it were delivered. */
    record ErrorSegment(R2dbcException exception) implements Result.Message {
        @Override
        public int errorCode() {
            return exception.getErrorCode();
        }

        @Override
        public String sqlState() {
            return exception.getSqlState();
        }

        @Override
        public String message() {
            return exception.getMessage();
        }
    }
}
