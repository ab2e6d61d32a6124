package io.sqliteasync.internal.worker;

import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.SqliteClosedException;
import io.sqliteasync.SqliteException;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one platform thread that owns one SQLite connection. Callers {@link #submit} jobs from any thread; the worker
 * runs them one at a time in submission order and completes each job's future, on itself or on the configured
 * completion executor. A job submitted from the worker thread itself (a continuation or a {@code run} block) runs
 * inline at once, the way SQLite's own mutex lets its owner re-enter, so continuations never deadlock.
 *
 * <p>Handoff: the queue is lock-free; the worker spins briefly on an empty queue before it parks, and producers
 * unpark it only when it is actually parked. Back-to-back commands therefore cost a cache-line handoff instead of a
 * park/unpark pair, and an idle connection uses no CPU.
 */
public final class ConnectionWorker {
    private static final System.Logger LOG = System.getLogger(ConnectionWorker.class.getName());
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** How long the worker polls an empty queue before parking. */
    private static final long SPIN_NANOS = 50_000;

    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;
    private static final int DEAD = 3;

    private final ConnectionOptions options;
    private final Executor completionExecutor;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Command> queue = new ConcurrentLinkedQueue<>();
    private final SqliteFuture<ConnectionWorker> opened = new SqliteFuture<>();
    private final SqliteFuture<Void> closed = new SqliteFuture<>();
    /** Written by the worker before it parks and after it wakes; read by producers to decide on unpark. */
    private volatile boolean parked;
    /** Written by close() (OPEN to CLOSING) and by the worker (to CLOSED or DEAD); read by every submitter. */
    private volatile int state = OPEN;
    /** Why the worker died; written once by the worker before state becomes DEAD. */
    private volatile Throwable deathCause;
    /** Worker thread only. */
    private Session session;

    private ConnectionWorker(ConnectionOptions options) {
        this.options = options;
        this.completionExecutor = options.completionExecutor();
        String name = options.workerThreadName() != null
                ? options.workerThreadName()
                : "sqlite-async-connection-" + COUNTER.incrementAndGet();
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts a worker thread that opens the connection.
     *
     * @param options the connection settings
     * @return a future that completes with the running worker once the connection is open (on the worker thread or
     *     the completion executor), or fails with a {@link SqliteException} that says why it could not open; the
     *     thread has stopped by then
     */
    public static CompletableFuture<ConnectionWorker> start(ConnectionOptions options) {
        ConnectionWorker w = new ConnectionWorker(options);
        w.thread.start();
        return w.opened;
    }

    /**
     * The worker thread.
     *
     * @return the thread
     */
    public Thread thread() {
        return thread;
    }

    /**
     * The connection settings.
     *
     * @return the options
     */
    public ConnectionOptions options() {
        return options;
    }

    /**
     * Queues a job, or runs it at once when called on the worker thread itself.
     *
     * @param job the work
     * @param sql the SQL it runs, named in errors, or {@code null}
     * @param <T> the result type
     * @return a future completed with the job's result on the worker thread (or the completion executor); failed
     *     with {@link SqliteClosedException} if the connection is closed; cancelling it before the job starts
     *     means the job never runs
     */
    public <T> SqliteFuture<T> submit(Job<T> job, String sql) {
        SqliteFuture<T> future = new SqliteFuture<>();
        Command.Call<T> call = new Command.Call<>(job, future, sql);
        if (Thread.currentThread() == thread) {
            if (session == null) {
                future.completeExceptionally(closedException());
            } else {
                run(call);
            }
            return future;
        }
        if (state != OPEN) {
            future.completeExceptionally(closedException());
            return future;
        }
        enqueue(call);
        // A close that raced with this submit may have drained the queue already; whoever removes the call fails it.
        if (state != OPEN && queue.remove(call)) {
            future.completeExceptionally(closedException());
        }
        return future;
    }

    /**
     * Whether the caller runs on this worker's thread.
     *
     * @return {@code true} on the worker thread
     */
    public boolean onWorkerThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Asks the worker to close the connection after the commands queued so far. Idempotent.
     *
     * @return a future that completes (on the worker thread) once the connection is closed and the thread is about
     *     to end
     */
    public CompletableFuture<Void> close() {
        synchronized (this) {
            if (state == OPEN) {
                state = CLOSING;
                enqueue(new Command.Close());
            }
        }
        return closed;
    }

    /**
     * Whether close has been requested or the worker has stopped.
     *
     * @return {@code true} once no new command is accepted
     */
    public boolean isClosed() {
        return state != OPEN;
    }

    /** Test hook: makes the worker loop die with the given error after the commands queued so far. */
    public void crashForTesting(Error error) {
        enqueue(new Command.Crash(error));
    }

    private void enqueue(Command c) {
        queue.offer(c);
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        try {
            session = Session.open(options);
        } catch (Throwable t) {
            state = DEAD;
            deathCause = t;
            closed.complete(null);
            opened.completeExceptionally(Errors.map(t, null));
            return;
        }
        complete(opened, this);
        Throwable fatal = null;
        try {
            for (;;) {
                Command c = take();
                if (c instanceof Command.Call) {
                    run((Command.Call<?>) c);
                } else if (c instanceof Command.Close) {
                    break;
                } else {
                    throw ((Command.Crash) c).error();
                }
            }
        } catch (Throwable t) {
            fatal = t;
            deathCause = t;
            LOG.log(Level.ERROR, "sqlite-async worker " + thread.getName() + " died; every further call fails", t);
        }
        shutDown(fatal);
    }

    private void shutDown(Throwable fatal) {
        Session s = session;
        session = null;
        try {
            s.close();
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "closing the SQLite connection failed", t);
        }
        state = fatal == null ? CLOSED : DEAD;
        Command c;
        while ((c = queue.poll()) != null) {
            if (c instanceof Command.Call) {
                ((Command.Call<?>) c).future().completeExceptionally(closedException());
            }
        }
        closed.complete(null);
    }

    private <T> void run(Command.Call<T> call) {
        SqliteFuture<T> future = call.future();
        if (future.isDone()) {
            return;
        }
        T result;
        try {
            result = call.job().run(session);
        } catch (Throwable t) {
            fail(future, Errors.map(t, call.sql()));
            return;
        }
        complete(future, result);
    }

    private <T> void complete(CompletableFuture<T> future, T value) {
        if (completionExecutor == null) {
            future.complete(value);
            return;
        }
        try {
            completionExecutor.execute(() -> future.complete(value));
        } catch (RejectedExecutionException e) {
            // A shut-down executor must not strand the caller: complete here instead.
            future.complete(value);
        }
    }

    private void fail(CompletableFuture<?> future, Throwable t) {
        if (completionExecutor == null) {
            future.completeExceptionally(t);
            return;
        }
        try {
            completionExecutor.execute(() -> future.completeExceptionally(t));
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(t);
        }
    }

    private Command take() {
        Command c = queue.poll();
        if (c != null) {
            return c;
        }
        long end = System.nanoTime() + SPIN_NANOS;
        do {
            Thread.onSpinWait();
            c = queue.poll();
            if (c != null) {
                return c;
            }
        } while (System.nanoTime() - end < 0);
        for (;;) {
            parked = true;
            // Re-check after publishing 'parked': a producer that offered before seeing it set will not unpark us.
            c = queue.poll();
            if (c != null) {
                parked = false;
                return c;
            }
            LockSupport.park(this);
            parked = false;
            c = queue.poll();
            if (c != null) {
                return c;
            }
        }
    }

    private SqliteClosedException closedException() {
        Throwable cause = deathCause;
        if (state == DEAD && cause != null) {
            return new SqliteClosedException("the connection's worker thread " + thread.getName()
                    + " died: " + cause, cause);
        }
        return new SqliteClosedException("the connection is closed", null);
    }
}
