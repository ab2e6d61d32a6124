package io.sqliteasync.internal.worker;

import io.sqliteasync.internal.engine.EngineStatement;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;

/**
 * The worker's record of one open cursor: its running statement, its SQL and where it was opened, for the message
 * of a {@code SQLITE_LOCKED} that an open statement causes. It holds no reference to its {@link CursorState}: the
 * state is registered with a {@link Cleaner}, and when the caller drops every reference to the cursor (an unclosed
 * {@code blocking().stream()}, an abandoned {@code Cursor} or subscription), the cleaner queues a close of this
 * record on the worker. The cleaner thread itself never touches the engine.
 */
final class OpenCursor {
    private static final System.Logger LOG = System.getLogger(OpenCursor.class.getName());
    /** Its thread is a daemon; the name keeps it apart from the per-connection threads ({@code sqlite-async-*}). */
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "cursor-cleaner (sqlite-async)");
        t.setDaemon(true);
        return t;
    });

    final String sql;
    final String origin;
    private final long openedAt = System.nanoTime();
    /** Worker thread only. */
    EngineStatement statement;
    /** Written by the worker when the cursor is released; read by the cleaner thread. */
    private volatile boolean done;
    private Cleaner.Cleanable cleanable;

    OpenCursor(String sql, String origin, EngineStatement statement) {
        this.sql = sql;
        this.origin = origin;
        this.statement = statement;
    }

    /** Closes this record on the worker once {@code owner} is unreachable. Worker thread. */
    void watch(Object owner, ConnectionWorker worker) {
        cleanable = CLEANER.register(owner, new Abandoned(this, worker));
    }

    /** Marks the record released and drops its cleaner registration. Worker thread. */
    void done() {
        done = true;
        if (cleanable != null) {
            cleanable.clean();
            cleanable = null;
        }
    }

    boolean isDone() {
        return done;
    }

    String describe() {
        long ms = (System.nanoTime() - openedAt) / 1_000_000;
        return "'" + (sql.length() > 200 ? sql.substring(0, 200) + "..." : sql.strip()) + "', open for " + ms + " ms"
                + (origin == null ? "" : ", opened at " + origin);
    }

    /** The cleaner's action: a static class, so that it cannot hold the cursor it watches. */
    private static final class Abandoned implements Runnable {
        private final OpenCursor cursor;
        private final ConnectionWorker worker;

        Abandoned(OpenCursor cursor, ConnectionWorker worker) {
            this.cursor = cursor;
            this.worker = worker;
        }

        @Override
        public void run() {
            if (cursor.done || worker.isClosed()) {
                return;
            }
            LOG.log(Level.WARNING, () -> "a cursor was dropped without being closed; closing it on "
                    + worker.thread().getName() + ": " + cursor.describe());
            worker.submit(s -> {
                s.closeAbandoned(cursor);
                return null;
            }, cursor.sql);
        }
    }
}
