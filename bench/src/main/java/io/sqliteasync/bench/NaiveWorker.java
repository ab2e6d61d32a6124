package io.sqliteasync.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The baseline every async SQLite wrapper starts from: one platform thread owns a sqlite-jdbc connection and takes
 * tasks from a {@link LinkedBlockingQueue}; the caller gets a plain {@link CompletableFuture}. Only the round-trip
 * benchmark uses it, with a single prepared {@code SELECT 1}.
 */
final class NaiveWorker implements AutoCloseable {
    private static final Runnable STOP = () -> { };

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Worker thread only. */
    private PreparedStatement selectOne;

    NaiveWorker() throws InterruptedException {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        thread = new Thread(() -> loop(ready), "naive-worker");
        thread.setDaemon(true);
        thread.start();
        ready.join();
    }

    /** The worker thread, for its CPU clock. */
    Thread thread() {
        return thread;
    }

    /** Queues one {@code SELECT 1}; the future completes on the worker thread. */
    CompletableFuture<Integer> selectOne() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        queue.add(() -> {
            try (ResultSet rs = selectOne.executeQuery()) {
                rs.next();
                f.complete(rs.getInt(1));
            } catch (SQLException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private void loop(CompletableFuture<Void> ready) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
                PreparedStatement ps = c.prepareStatement("SELECT 1")) {
            selectOne = ps;
            ready.complete(null);
            for (;;) {
                Runnable task = queue.take();
                if (task == STOP) {
                    return;
                }
                task.run();
            }
        } catch (SQLException | InterruptedException e) {
            ready.completeExceptionally(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        queue.add(STOP);
        thread.join();
    }
}
