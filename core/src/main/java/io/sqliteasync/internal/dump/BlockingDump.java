package io.sqliteasync.internal.dump;

import io.sqliteasync.SqliteException;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Runs a dump on the calling thread: it asks for one statement at a time, which arrives from a worker (or from the
 * publisher's buffer, on this thread) into a queue, and hands it to {@code sink} here.
 */
public final class BlockingDump {
    private static final Object COMPLETE = new Object();

    private BlockingDump() {
    }

    /**
     * Subscribes to {@code dump} and hands every statement to {@code sink} on the calling thread, in order.
     *
     * @param dump the publisher
     * @param sink takes each statement
     * @throws SqliteException what the dump failed with; {@code SQLITE_INTERRUPT} (flag set again) when the thread
     *     was interrupted while waiting. What {@code sink} throws is rethrown after the dump was cancelled.
     */
    public static void run(Flow.Publisher<String> dump, Consumer<? super String> sink) {
        Objects.requireNonNull(sink, "statements");
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        Flow.Subscription[] subscription = new Flow.Subscription[1];
        dump.subscribe(new Flow.Subscriber<String>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription[0] = s;
            }

            @Override
            public void onNext(String item) {
                queue.add(item);
            }

            @Override
            public void onError(Throwable t) {
                queue.add(new Failure(t));
            }

            @Override
            public void onComplete() {
                queue.add(COMPLETE);
            }
        });
        // onSubscribe runs synchronously inside subscribe for our publishers.
        Flow.Subscription s = subscription[0];
        s.request(1);
        while (true) {
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                s.cancel();
                Thread.currentThread().interrupt();
                throw new SqliteException("interrupted while waiting for the dump", SqliteException.SQLITE_INTERRUPT,
                        null, e);
            }
            if (next == COMPLETE) {
                return;
            }
            if (next instanceof Failure) {
                Throwable t = ((Failure) next).error;
                if (t instanceof RuntimeException) {
                    throw (RuntimeException) t;
                }
                if (t instanceof Error) {
                    throw (Error) t;
                }
                throw new SqliteException("the dump failed: " + t, -1, null, t);
            }
            try {
                sink.accept((String) next);
            } catch (RuntimeException | Error e) {
                s.cancel();
                throw e;
            }
            s.request(1);
        }
    }

    private record Failure(Throwable error) {
    }
}
