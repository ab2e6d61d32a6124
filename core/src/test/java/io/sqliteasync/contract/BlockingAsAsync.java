package io.sqliteasync.contract;

import io.sqliteasync.BatchMode;
import io.sqliteasync.BlockingSqlClient;
import io.sqliteasync.Cursor;
import io.sqliteasync.ExecuteResult;
import io.sqliteasync.Row;
import io.sqliteasync.RowMapper;
import io.sqliteasync.SqlClient;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs the contract through a blocking view: each call blocks on the test thread and its outcome becomes a completed
 * future; a stream becomes a publisher that pulls from the blocking stream on the requesting thread.
 */
final class BlockingAsAsync implements SqlClient {
    private final BlockingSqlClient b;

    BlockingAsAsync(BlockingSqlClient b) {
        this.b = b;
    }

    private static <T> CompletableFuture<T> call(Supplier<T> s) {
        try {
            return CompletableFuture.completedFuture(s.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<ExecuteResult> execute(String sql, Object... args) {
        return call(() -> b.execute(sql, args));
    }

    @Override
    public CompletableFuture<ExecuteResult> executeMany(String sql, Iterable<?> parameterSets) {
        return call(() -> b.executeMany(sql, parameterSets));
    }

    @Override
    public CompletableFuture<ExecuteResult> executeMany(String sql, Iterable<?> parameterSets, BatchMode mode) {
        return call(() -> b.executeMany(sql, parameterSets, mode));
    }

    @Override
    public CompletableFuture<Void> executeScript(String sql) {
        return call(() -> {
            b.executeScript(sql);
            return null;
        });
    }

    @Override
    public CompletableFuture<List<Row>> fetchAll(String sql, Object... args) {
        return call(() -> b.fetchAll(sql, args));
    }

    @Override
    public <T> CompletableFuture<List<T>> fetchAll(String sql, Class<T> type, Object... args) {
        return call(() -> b.fetchAll(sql, type, args));
    }

    @Override
    public <T> CompletableFuture<List<T>> fetchAll(String sql, RowMapper<T> mapper, Object... args) {
        return call(() -> b.fetchAll(sql, mapper, args));
    }

    @Override
    public CompletableFuture<Row> fetchOne(String sql, Object... args) {
        return call(() -> b.fetchOne(sql, args));
    }

    @Override
    public <T> CompletableFuture<T> fetchOne(String sql, Class<T> type, Object... args) {
        return call(() -> b.fetchOne(sql, type, args));
    }

    @Override
    public <T> CompletableFuture<T> fetchOne(String sql, RowMapper<T> mapper, Object... args) {
        return call(() -> b.fetchOne(sql, mapper, args));
    }

    @Override
    public CompletableFuture<Optional<Row>> fetchOptional(String sql, Object... args) {
        return call(() -> b.fetchOptional(sql, args));
    }

    @Override
    public <T> CompletableFuture<Optional<T>> fetchOptional(String sql, Class<T> type, Object... args) {
        return call(() -> b.fetchOptional(sql, type, args));
    }

    @Override
    public <T> CompletableFuture<Optional<T>> fetchOptional(String sql, RowMapper<T> mapper, Object... args) {
        return call(() -> b.fetchOptional(sql, mapper, args));
    }

    @Override
    public CompletableFuture<Cursor> cursor(String sql, Object... args) {
        return call(() -> b.cursor(sql, args).async());
    }

    @Override
    public Flow.Publisher<Row> stream(String sql, Object... args) {
        return subscriber -> {
            Stream<Row> rows;
            try {
                rows = b.stream(sql, args);
            } catch (RuntimeException e) {
                subscriber.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                subscriber.onError(e);
                return;
            }
            Iterator<Row> it = rows.iterator();
            subscriber.onSubscribe(new Flow.Subscription() {
                private boolean done;

                @Override
                public synchronized void request(long n) {
                    try {
                        for (long i = 0; i < n && !done; i++) {
                            if (!it.hasNext()) {
                                done = true;
                                rows.close();
                                subscriber.onComplete();
                                return;
                            }
                            subscriber.onNext(it.next());
                        }
                    } catch (RuntimeException e) {
                        done = true;
                        rows.close();
                        subscriber.onError(e);
                    }
                }

                @Override
                public synchronized void cancel() {
                    done = true;
                    rows.close();
                }
            });
        };
    }

    @Override
    public BlockingSqlClient blocking() {
        return b;
    }
}
