package io.sqliteasync.examples.docs;

import io.sqliteasync.Row;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** The quickstart's {@code mySubscriber}: prints each row and records the end of the stream. */
final class RowPrinter implements Flow.Subscriber<Row> {
    final CompletableFuture<Integer> done = new CompletableFuture<>();
    private int rows;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Row row) {
        rows++;
        System.out.println("streamed " + row);
    }

    @Override
    public void onError(Throwable error) {
        done.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        done.complete(rows);
    }
}
