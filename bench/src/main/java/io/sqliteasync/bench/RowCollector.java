package io.sqliteasync.bench;

import io.sqliteasync.Row;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A subscriber that appends every row's values to a list, the async iteration of the original. It requests without
 * bound; the publisher still steps only {@code prefetch} rows per round trip.
 */
final class RowCollector implements Flow.Subscriber<Row> {
    private final List<Object[]> sink;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private RowCollector(List<Object[]> sink) {
        this.sink = sink;
    }

    /**
     * Subscribes to a publisher.
     *
     * @param rows the rows
     * @param sink where their values go
     * @return a future completed, on the thread that signals completion, after the last row
     */
    static CompletableFuture<Void> collect(Flow.Publisher<Row> rows, List<Object[]> sink) {
        RowCollector c = new RowCollector(sink);
        rows.subscribe(c);
        return c.done;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Row item) {
        sink.add(Workload.values(item));
    }

    @Override
    public void onError(Throwable throwable) {
        done.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        done.complete(null);
    }
}
