package io.sqliteasync.internal.worker;

import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.SqliteClosedException;
import io.sqliteasync.SqliteDeadlockException;
import io.sqliteasync.SqliteException;
import io.sqliteasync.SqliteTimeoutException;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * park/unpark pair. The spin is adaptive ({@link SpinBudget}): when recent waits for work were longer than a spin
 * could cover (a busy machine, or a caller that pauses between commands) the worker spins less, down to parking at
 * once, and an idle connection's worker is parked and uses no CPU; short waits bring the spin back.
 */
public final class ConnectionWorker {
    private static final System.Logger LOG = System.getLogger(ConnectionWorker.class.getName());
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** How often a worker waiting for an async callback checks whether its call was cancelled. */
    private static final long CALLBACK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

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
    /** How long the worker spins on an empty queue before parking, learned from recent waits; worker thread only. */
    private final SpinBudget spin = new SpinBudget();
    /** The call running now (innermost when calls nest); worker thread only. */
    private Command.Call<?> current;
    /** The first exception a callback threw during the current call; worker thread only. */
    private Throwable callbackError;
    /** Written by the worker while it waits for an async callback; read by the deadline timer. */
    private volatile boolean awaitingCallback;
    /** The queued call the worker is running now (the outermost when calls nest); worker writes, timer reads. */
    private volatile Command.Call<?> running;
    /** The call whose callback the worker judged deadlocked; worker writes, the deadline timer reads. */
    private volatile Command.Call<?> deadlockedCall;
    /** The queued call {@link #interrupt()} aimed at; it stops SQLite only while that call still runs. */
    private volatile Command.Call<?> interruptTarget;
    /** The user's progress handler, or {@code null}; worker thread only. */
    private io.sqliteasync.SqlProgressHandler userProgress;
    /** Internal progress ticks between two calls of {@link #userProgress}; worker thread only. */
    private int userProgressEvery = 1;
    /** Internal progress ticks since {@link #userProgress} was last called; worker thread only. */
    private int userProgressTicks;
    /** Callbacks in progress on the worker (body running or stage awaited); worker writes, submitters read. */
    private volatile int callbackDepth;
    /** This connection's place in the JVM-exit drain; set before the thread starts. */
    private ShutdownDrain.Entry drain;
    /**
     * Set while a transaction holds the connection exclusively; gated calls taken from the queue meanwhile wait in
     * {@link #deferred}, in order. Worker thread only.
     */
    private boolean exclusive;
    /** Gated calls held back while {@link #exclusive}; run first, in order, once it clears. Worker thread only. */
    private final java.util.ArrayDeque<Command.Call<?>> deferred = new java.util.ArrayDeque<>();
    /** A close taken from the queue between two steps of a long call; the loop handles it next. Worker thread only. */
    private Command.Close stashedClose;
    /** Set while {@link #serveBetweenSteps} runs queued calls, so that one of them cannot serve again. Worker only. */
    private boolean serving;

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
        w.drain = ShutdownDrain.track(w.thread.getName(), options.shutdownDrainTimeout(), w::close);
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
        return submit(job, sql, null, DeadlineScope.current());
    }

    /**
     * Queues a job on behalf of a caller whose context and deadline were captured earlier, for example by a pool
     * that submits only once a connection is free.
     *
     * @param job the work
     * @param sql the SQL it runs, or {@code null}
     * @param context the caller's context from {@link CallContext#capture()}, or {@code null} to capture it now
     * @param deadline the caller's absolute deadline from {@link DeadlineScope#current()}, or 0
     * @param <T> the result type
     * @return the call's future, as for {@link #submit(Job, String)}
     */
    public <T> SqliteFuture<T> submit(Job<T> job, String sql, CallContext context, long deadline) {
        return submit(job, sql, context, deadline, true, null, false);
    }

    /**
     * Queues a plain call of the connection's own API, or runs it at once on the worker thread, as
     * {@link #submit(Job, String)}; while a transaction holds the connection exclusively (see
     * {@link #beginExclusive()}) the call waits, in order with the other gated calls, until the transaction ends.
     *
     * @param job the work
     * @param sql the SQL it runs, or {@code null}
     * @param <T> the result type
     * @return the call's future, as for {@link #submit(Job, String)}
     */
    public <T> SqliteFuture<T> submitGated(Job<T> job, String sql) {
        return submit(job, sql, null, DeadlineScope.current(), true, null, true);
    }

    /**
     * Holds the connection for the transaction the current call began: from now on, gated calls wait until
     * {@link #endExclusive()}. Worker thread only, from inside a job.
     */
    public void beginExclusive() {
        assert onWorkerThread();
        exclusive = true;
    }

    /** Ends {@link #beginExclusive()}: the gated calls held back run next, in order. Worker thread only. */
    public void endExclusive() {
        assert onWorkerThread();
        exclusive = false;
    }

    /**
     * Queues a job behind the commands already queued, even when called on the worker thread itself. A pool uses
     * this to start the call it hands a connection to: run inline, that call would run inside the completion of the
     * call that released the connection, before its caller even had its future, so nothing could cancel it.
     *
     * @param job the work
     * @param sql the SQL it runs, or {@code null}
     * @param context the caller's context from {@link CallContext#capture()}, or {@code null} to capture it now
     * @param deadline the caller's absolute deadline, or 0
     * @param <T> the result type
     * @return the call's future; cancelling it before the job starts means the job never runs, and while it runs
     *     stops SQLite
     */
    public <T> SqliteFuture<T> enqueue(Job<T> job, String sql, CallContext context, long deadline) {
        return submit(job, sql, context, deadline, false, null, false);
    }

    /**
     * Queues a job, or runs it at once on the worker thread, as {@link #submit(Job, String)}, for a caller that may
     * give up on it through a flag rather than through the future: a call inside a transaction, which must stop when
     * the transaction rolls back even when it runs inline, where nobody outside holds its future yet.
     *
     * @param job the work
     * @param sql the SQL it runs, or {@code null}
     * @param abandoned polled by the progress handler while the job runs; {@code true} stops SQLite
     * @param <T> the result type
     * @return the call's future, as for {@link #submit(Job, String)}
     */
    public <T> SqliteFuture<T> submit(Job<T> job, String sql, java.util.function.BooleanSupplier abandoned) {
        return submit(job, sql, null, DeadlineScope.current(), true, abandoned, false);
    }

    private <T> SqliteFuture<T> submit(Job<T> job, String sql, CallContext context, long deadline,
            boolean inline, java.util.function.BooleanSupplier abandoned, boolean gated) {
        SqliteFuture<T> future = new SqliteFuture<>();
        // A gated call made on the worker while a transaction holds the connection (from the completion of a call
        // outside the transaction) must not run inside it: it queues, and waits like any other.
        if (inline && Thread.currentThread() == thread && !(gated && exclusive)) {
            if (session == null) {
                future.completeExceptionally(closedException());
            } else {
                // Inline: the caller's context and deadline are installed on this thread when it submits from inside
                // a call. A context captured earlier (a stream page fetched from the previous page's completion,
                // outside any call) is installed for the job like a queued one.
                run(new Command.Call<>(job, future, sql, deadline, context != null ? context : CallContext.EMPTY,
                        abandoned, gated));
            }
            return future;
        }
        if (state != OPEN) {
            future.completeExceptionally(closedException());
            return future;
        }
        CallContext callContext = context != null ? context : CallContext.capture();
        // The caller's context was captured inside one of this connection's callbacks, still in progress (on the
        // worker, or carried to another thread by ContextPropagation.wrap): the call could only run once that
        // callback ended, and a callback waiting for it would never end.
        if (callbackDepth > 0 && callContext.insideCallbackOf(this)) {
            future.completeExceptionally(new SqliteDeadlockException("a call to this connection was made from inside"
                    + " one of its own callbacks, still in progress: it could only run after the callback ends, so a"
                    + " callback waiting for it would never end. Compute what the callback needs before the"
                    + " statement, or use another connection", sql));
            return future;
        }
        Command.Call<T> call = new Command.Call<>(job, future, sql, deadline, callContext, abandoned, gated);
        if (deadline != 0) {
            Deadlines.schedule(this, call);
        }
        offer(call);
        // A close that raced with this submit may have drained the queue already; whoever removes the call fails it.
        if (state != OPEN && queue.remove(call)) {
            future.completeExceptionally(closedException());
        }
        return future;
    }

    /**
     * Takes this connection out of the JVM-exit drain because its owner drains it as part of a whole: a
     * {@code Database} lets the calls waiting for its connections run before it closes them. Any thread.
     */
    public void untrackForShutdown() {
        drain.untrack();
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
                offer(new Command.Close());
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

    private void offer(Command c) {
        queue.offer(c);
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        try {
            session = Session.open(options, this);
        } catch (Throwable t) {
            state = DEAD;
            deathCause = t;
            drain.untrack();
            closed.complete(null);
            opened.completeExceptionally(Errors.map(t, null));
            return;
        }
        complete(opened, this);
        Throwable fatal = null;
        try {
            for (;;) {
                Command c = next();
                if (c instanceof Command.Call) {
                    running = (Command.Call<?>) c;
                    try {
                        run(running);
                    } finally {
                        running = null;
                        interruptTarget = null;
                        // A job or callback that set this thread's interrupt flag must not leave it for the next
                        // call: it would fail every later async callback at once and make take() spin, never park.
                        Thread.interrupted();
                    }
                } else {
                    // Close while a transaction holds the connection: closing rolls it back, and the calls held
                    // back for it could only run outside it after the close; they fail instead.
                    Command.Call<?> d;
                    while ((d = deferred.poll()) != null) {
                        d.future().completeExceptionally(new SqliteClosedException("the connection was closed while"
                                + " a transaction held it; this call waited for that transaction to end", null));
                    }
                    break;
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
        Command.Call<?> held;
        while ((held = deferred.poll()) != null) {
            held.future().completeExceptionally(closedException());
        }
        Command c;
        while ((c = queue.poll()) != null) {
            if (c instanceof Command.Call) {
                ((Command.Call<?>) c).future().completeExceptionally(closedException());
            }
        }
        drain.untrack();
        closed.complete(null);
    }

    private <T> void run(Command.Call<T> call) {
        run(call, false);
    }

    /**
     * Runs a job nested in the call running now, synchronously, as a call of its own: its context is installed, its
     * deadline and {@code abandoned} are checked by the progress handler while it runs, and callback failures are
     * charged to it; but its outcome is returned here, on the worker, never handed to the completion executor. A
     * database's group commit runs each write of a batch this way, inside the batch's transaction. Worker thread
     * only, from inside a job.
     *
     * @param job the work
     * @param sql the SQL it runs, or {@code null}
     * @param context the caller's context, captured when the caller made the call
     * @param deadline the caller's absolute deadline, or 0
     * @param abandoned polled while the job runs; {@code true} stops SQLite
     * @param <T> the result type
     * @return the job's result
     * @throws SqliteException what the job failed with, mapped as for a queued call ({@link SqliteTimeoutException}
     *     once the deadline passed)
     */
    public <T> T runNested(Job<T> job, String sql, CallContext context, long deadline,
            java.util.function.BooleanSupplier abandoned) {
        if (!onWorkerThread()) {
            throw new IllegalStateException("runNested runs on the worker thread only");
        }
        SqliteFuture<T> future = new SqliteFuture<>();
        run(new Command.Call<>(job, future, sql, deadline, context, abandoned, false), true);
        // An interrupt() aimed at the batch stopped this call; the next call of the batch starts afresh.
        if (interruptTarget != null && interruptTarget == running) {
            interruptTarget = null;
        }
        if (!future.isDone()) {
            throw new IllegalStateException("a nested call did not settle");
        }
        try {
            return future.getNow(null);
        } catch (java.util.concurrent.CompletionException e) {
            throw Errors.map(e.getCause(), sql);
        }
    }

    private <T> void run(Command.Call<T> call, boolean direct) {
        SqliteFuture<T> future = call.future();
        if (future.isDone()) {
            return;
        }
        if (call.deadline() != 0 && System.nanoTime() - call.deadline() >= 0) {
            fail(future, direct, timeout(call));
            return;
        }
        Command.Call<?> outer = current;
        Throwable outerCallbackError = callbackError;
        callbackError = null;
        current = call;
        long[] previousDeadline = DeadlineScope.install(call.deadline());
        CallContext.Scope scope = CallContext.Scope.NOOP;
        T result = null;
        Throwable failure = null;
        try {
            // Inside the try: a context accessor that throws fails this call, not the worker.
            scope = call.context().apply();
            result = call.job().run(session);
        } catch (Throwable t) {
            failure = t;
        } finally {
            try {
                scope.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "restoring the worker's context after a call failed", e);
            }
            DeadlineScope.restore(previousDeadline);
            current = outer;
        }
        Throwable fromCallback = callbackError;
        callbackError = outerCallbackError;
        if (future.isDone()) {
            // Cancelled or timed out while running: SQLite was stopped by the progress handler.
            if (failure == null) {
                discard(call.job(), result);
            }
            return;
        }
        if (failure != null && fromCallback == null && !(failure instanceof SqliteTimeoutException)
                && !(failure instanceof SqliteDeadlockException)
                && call.deadline() != 0 && System.nanoTime() - call.deadline() >= 0) {
            // Stopped by the progress handler at its deadline (or failed after it): report the deadline. A callback's
            // own failure (a deadlock or timeout found while awaiting it) says more, and is mapped below.
            SqliteTimeoutException t = timeout(call);
            t.addSuppressed(failure);
            fail(future, direct, t);
        } else if (failure != null) {
            fail(future, direct, Errors.map(failure, call.sql(), fromCallback));
        } else if (fromCallback != null) {
            fail(future, direct, Errors.map(new SqliteException("a callback failed while the command ran; the statement"
                    + " itself completed"), call.sql(), fromCallback));
        } else {
            complete(future, result, direct ? null : call.job(), direct);
        }
    }

    private static <T> void discard(Job<T> job, T result) {
        try {
            job.discard(result);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "releasing an unwanted result failed", e);
        }
    }

    /**
     * Whether a callback is running, so a statement of this connection is in the middle of a step. Worker thread only.
     *
     * @return {@code true} inside a callback
     */
    boolean inCallback() {
        return callbackDepth > 0;
    }

    /** Called by the progress handler on the worker thread while SQLite runs the current call. */
    boolean shouldInterrupt() {
        if (current == null) {
            return false;
        }
        // The call is failed by run() once SQLite has unwound, never from here: completing its future inside the
        // progress handler would run the caller's continuations, and a pool's next call, in the middle of a step.
        return currentCallStopped() || (userProgress != null && userProgress());
    }

    /** Calls the user's progress handler every {@link #userProgressEvery} ticks. Worker thread only. */
    private boolean userProgress() {
        if (++userProgressTicks < userProgressEvery) {
            return false;
        }
        userProgressTicks = 0;
        try {
            return userProgress.onProgress();
        } catch (Throwable t) {
            callbackFailed(t);
            return true;
        }
    }

    /**
     * Sets the user's progress handler, called every {@code max(1, steps / progressSteps)} internal progress ticks.
     * Worker thread only, from inside a job.
     *
     * @param steps the VM steps wanted between calls, at least 1
     * @param handler the handler, or {@code null} to remove it
     */
    public void setUserProgressHandler(int steps, io.sqliteasync.SqlProgressHandler handler) {
        assert onWorkerThread();
        if (handler != null && steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, was " + steps);
        }
        userProgress = handler;
        userProgressEvery = handler == null ? 1 : Math.max(1, steps / options.progressSteps());
        userProgressTicks = 0;
    }

    /**
     * Stops the call running on this connection now, if any: SQLite stops it at its next progress check and it
     * fails with {@code SQLITE_INTERRUPT}. Queued calls are not affected, and a call that starts later is never
     * stopped by this request. Any thread.
     *
     * @return whether a call was running to be interrupted
     */
    public boolean interrupt() {
        Command.Call<?> r = running;
        // A call whose future is complete is over for its caller, even though the worker clears 'running' only a
        // moment later: a caller that joined it and then asks to interrupt must not be told something still runs.
        if (r == null || r.future().isDone()) {
            return false;
        }
        interruptTarget = r;
        return true;
    }

    /**
     * Whether the call running now should stop: cancelled, timed out, abandoned, or aimed at by {@link #interrupt()}.
     * Worker thread only: asked by the progress handler inside SQLite and between the steps of a long call (a
     * backup).
     *
     * @return {@code true} when the current call is no longer wanted
     */
    boolean currentCallStopped() {
        Command.Call<?> c = current;
        if (c == null) {
            return false;
        }
        if (c.future().isDone() || (c.abandoned() != null && c.abandoned().getAsBoolean())) {
            return true;
        }
        if (c.deadline() != 0 && System.nanoTime() - c.deadline() >= 0) {
            return true;
        }
        // interrupt() named the call running at that moment: a later call is never hit by a stale request.
        Command.Call<?> target = interruptTarget;
        return target != null && target == running;
    }

    /**
     * Runs the calls queued on this connection now, between two steps of the long call that runs (a backup), and for
     * {@code pauseNanos} more the calls that arrive meanwhile; while a transaction opened by one of them is still
     * open it keeps serving until it ends (the next step could not run inside it), or until the long call stops.
     * Each call runs as it would from the loop: in order, with its own context, deadline and cancellation. Does
     * nothing when the long call is itself nested in another call, or is one of the calls served here. A close taken
     * from the queue ends the serving; the loop handles it once the long call ends. Worker thread only.
     *
     * @param pauseNanos how long to keep serving after the queue is empty
     * @param ownTransaction whether the long call itself holds a transaction open between its steps (then only a
     *     transaction handle's exclusive hold makes it wait)
     */
    void serveBetweenSteps(long pauseNanos, boolean ownTransaction) {
        Command.Call<?> self = current;
        if (serving || self == null || self != running || stashedClose != null) {
            return;
        }
        serving = true;
        try {
            long end = System.nanoTime() + pauseNanos;
            boolean ran = false;
            boolean inTransaction = false;
            for (;;) {
                Command c = pollReady();
                if (c instanceof Command.Close) {
                    stashedClose = (Command.Close) c;
                    return;
                }
                if (c != null) {
                    Command.Call<?> call = (Command.Call<?>) c;
                    running = call;
                    try {
                        run(call);
                    } finally {
                        running = self;
                        Thread.interrupted();
                    }
                    ran = true;
                    continue;
                }
                if (ran || inTransaction) {
                    // A call may have left a transaction open (a Transaction handle, or a raw BEGIN whose COMMIT
                    // comes later): wait for its end rather than step inside it.
                    inTransaction = exclusive || (!ownTransaction && session.inTransaction());
                    ran = false;
                }
                long left = end - System.nanoTime();
                if ((!inTransaction && left <= 0) || currentCallStopped()) {
                    return;
                }
                parked = true;
                if (queue.isEmpty()) {
                    LockSupport.parkNanos(this, inTransaction ? 1_000_000L : left);
                }
                parked = false;
            }
        } finally {
            serving = false;
        }
    }

    /** The next command without waiting: held-back gated calls first once no transaction holds the connection. */
    private Command pollReady() {
        for (;;) {
            if (!exclusive && !deferred.isEmpty()) {
                return deferred.poll();
            }
            Command c = queue.poll();
            if (c != null && exclusive && c instanceof Command.Call && ((Command.Call<?>) c).gated()) {
                deferred.add((Command.Call<?>) c);
                continue;
            }
            return c;
        }
    }

    /** Fails a call whose deadline passed; from the worker or the deadline timer. */
    void expire(Command.Call<?> call) {
        if (call.future().isDone()) {
            return;
        }
        // Read awaitingCallback before deadlockedCall: settle() writes them in the opposite order.
        boolean waiting = awaitingCallback;
        // Only the call whose callback is awaited can be deadlocked by it; a call still queued behind it timed out.
        if ((waiting && running == call && !queue.isEmpty()) || deadlockedCall == call) {
            fail(call.future(), new SqliteDeadlockException("the deadline passed while the connection waited for an"
                    + " async callback and calls to it waited behind; a callback that waits for a call to its own"
                    + " connection can never complete", call.sql()));
        } else {
            fail(call.future(), timeout(call));
        }
    }

    private static SqliteTimeoutException timeout(Command.Call<?> call) {
        return new SqliteTimeoutException("the call's deadline passed", call.sql());
    }

    /**
     * Records an exception thrown by a callback during the current call; it becomes the cause of the call's failure.
     *
     * @param t what the callback threw
     */
    void callbackFailed(Throwable t) {
        if (callbackError == null) {
            callbackError = t;
        } else if (callbackError != t) {
            callbackError.addSuppressed(t);
        }
    }

    /**
     * Turns a callback's result into a value: a {@link CompletionStage} is waited for, bounded by the current
     * call's deadline (or the callback timeout), and watching for the call being cancelled. Worker thread only.
     *
     * @param value what the callback returned
     * @return the value, or the stage's value
     * @throws Exception what the stage failed with, a timeout or a deadlock
     */
    Object settle(Object value) throws Exception {
        if (!(value instanceof CompletionStage)) {
            return value;
        }
        CompletableFuture<?> stage = ((CompletionStage<?>) value).toCompletableFuture();
        Command.Call<?> call = current;
        long deadline = call != null && call.deadline() != 0
                ? call.deadline()
                : System.nanoTime() + options.callbackTimeout().toNanos();
        boolean outerAwaiting = awaitingCallback;
        awaitingCallback = true;
        try {
            for (;;) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 && !stage.isDone()) {
                    if (!queue.isEmpty()) {
                        deadlockedCall = call;
                        throw new SqliteDeadlockException("an async callback did not complete before its deadline"
                                + " while calls to this connection waited behind it; a callback that waits for a"
                                + " call to its own connection can never complete (hand the callback's work to"
                                + " other threads through ContextPropagation.wrap and such a call fails at once)",
                                call == null ? null : call.sql());
                    }
                    throw new SqliteTimeoutException("the deadline passed while waiting for an async callback",
                            call == null ? null : call.sql());
                }
                try {
                    return stage.get(Math.min(Math.max(remaining, 1), CALLBACK_POLL_NANOS), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (call != null && (call.future().isDone()
                            || (call.abandoned() != null && call.abandoned().getAsBoolean()))) {
                        throw new SqliteException("the call was cancelled while waiting for an async callback",
                                SqliteException.SQLITE_INTERRUPT, call.sql(), null);
                    }
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    throw cause instanceof Exception ? (Exception) cause : new ExecutionException(cause);
                }
            }
        } finally {
            awaitingCallback = outerAwaiting;
        }
    }

    /**
     * Runs callback code on the worker with this worker marked as the callback owner, so that a context captured
     * inside it identifies the callback.
     */
    Object inCallback(CallbackBody body) throws Exception {
        CallContext.CallbackMark mark = new CallContext.CallbackMark(this);
        CallContext.CallbackMark previous = CallContext.enterCallback(mark);
        callbackDepth++;
        try {
            return settle(body.run());
        } finally {
            mark.active = false;
            callbackDepth--;
            CallContext.exitCallback(previous);
        }
    }

    /** Callback code that may throw. */
    @FunctionalInterface
    interface CallbackBody {
        Object run() throws Exception;
    }

    private <T> void complete(CompletableFuture<T> future, T value) {
        complete(future, value, null);
    }

    private <T> void complete(CompletableFuture<T> future, T value, Job<T> job) {
        Runnable completion = () -> {
            if (!future.complete(value) && job != null) {
                discard(job, value);
            }
        };
        if (completionExecutor == null) {
            completion.run();
            return;
        }
        try {
            completionExecutor.execute(completion);
        } catch (RuntimeException e) {
            // A shut-down or broken executor must not strand the caller (or kill this thread): complete here instead.
            executorFailed(e);
            completion.run();
        }
    }

    private <T> void complete(CompletableFuture<T> future, T value, Job<T> job, boolean direct) {
        if (direct) {
            future.complete(value);
        } else {
            complete(future, value, job);
        }
    }

    private void fail(CompletableFuture<?> future, boolean direct, Throwable t) {
        if (direct) {
            future.completeExceptionally(t);
        } else {
            fail(future, t);
        }
    }

    private void fail(CompletableFuture<?> future, Throwable t) {
        if (completionExecutor == null) {
            future.completeExceptionally(t);
            return;
        }
        try {
            completionExecutor.execute(() -> future.completeExceptionally(t));
        } catch (RuntimeException e) {
            executorFailed(e);
            future.completeExceptionally(t);
        }
    }

    private void executorFailed(RuntimeException e) {
        if (!(e instanceof RejectedExecutionException)) {
            LOG.log(Level.WARNING, "the completion executor of " + thread.getName() + " threw; completing on the"
                    + " calling thread instead", e);
        }
    }

    /** The next command to run: held-back gated calls first once no transaction holds the connection. */
    private Command next() {
        for (;;) {
            if (!exclusive && !deferred.isEmpty()) {
                return deferred.poll();
            }
            if (stashedClose != null) {
                Command close = stashedClose;
                stashedClose = null;
                return close;
            }
            Command c = take();
            if (exclusive && c instanceof Command.Call && ((Command.Call<?>) c).gated()) {
                deferred.add((Command.Call<?>) c);
                continue;
            }
            return c;
        }
    }

    private Command take() {
        Command c = queue.poll();
        if (c != null) {
            return c;
        }
        // Spins first; its yields between rounds let a caller that shares this core run instead of starving.
        c = spin.spin(queue, ConcurrentLinkedQueue::poll);
        if (c != null) {
            return c;
        }
        for (;;) {
            parked = true;
            // Re-check after publishing 'parked': a producer that offered before seeing it set will not unpark us.
            c = queue.poll();
            if (c != null) {
                parked = false;
                break;
            }
            LockSupport.park(this);
            parked = false;
            c = queue.poll();
            if (c != null) {
                break;
            }
        }
        spin.parkedWaitEnded(System.nanoTime());
        return c;
    }

    SqliteClosedException closedException() {
        Throwable cause = deathCause;
        if (state == DEAD && cause != null) {
            return new SqliteClosedException("the connection's worker thread " + thread.getName()
                    + " died: " + cause, cause);
        }
        return new SqliteClosedException("the connection is closed", null);
    }
}
