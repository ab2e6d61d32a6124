package io.sqliteasync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * One call as a {@link CallListener} sees it: what it was, where it ran, its times and how it ended. Created by the
 * library for each call when a listener is set; filled in as the call goes (see {@link CallListener} for which
 * callback sees what). Times are {@link System#nanoTime()} readings: compare them with each other only.
 *
 * <p>Read it from the listener's callbacks; the values set before a callback runs are visible to it on whatever
 * thread it runs. The event is not meant to be kept after {@link CallListener#onEnd} returns.
 */
public final class CallEvent {
    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(CallEvent.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What a call does. {@link #tag()} is its name in meters and traces. */
    public enum Kind {
        /** {@code execute}: one statement. */
        EXECUTE("execute"),
        /** {@code executeMany}: one statement per parameter set. */
        EXECUTE_MANY("executeMany"),
        /** {@code executeScript}: a script. */
        EXECUTE_SCRIPT("executeScript"),
        /** {@code fetchAll}, {@code fetchOne}, {@code fetchOptional}. */
        FETCH("fetch"),
        /** {@code cursor}: opening a cursor (its fetches are {@link #CURSOR_FETCH}). */
        CURSOR("cursor"),
        /** {@code Cursor.fetchOne}, {@code fetchMany}, {@code fetchAll}: one fetch of an open cursor. */
        CURSOR_FETCH("cursor.fetch"),
        /** {@code stream}: one subscription, from subscribe to its last signal or cancel. */
        STREAM("stream"),
        /** {@code BEGIN} of a transaction or a read scope ({@code begin}, {@code transaction(fn)}, {@code read(fn)}),
         *  from the request, through the wait for the connection, until the transaction began. */
        BEGIN("begin"),
        /** {@code COMMIT} of a transaction handle (explicit, or the end of {@code transaction(fn)}). */
        COMMIT("commit"),
        /** {@code ROLLBACK} of a transaction handle (explicit, {@code close()}, a failure or the timeout). */
        ROLLBACK("rollback");

        private final String tag;

        Kind(String tag) {
            this.tag = tag;
        }

        /**
         * The kind's name in meters and traces, such as {@code execute} or {@code cursor.fetch}.
         *
         * @return the name
         */
        public String tag() {
            return tag;
        }
    }

    /** Which kind of connection ran (or would have run) the call. {@link #tag()} is its name in meters. */
    public enum Role {
        /** A single {@link AsyncConnection}. */
        CONNECTION("connection"),
        /** The writer of a {@link Database} (which also serves reads when it is the only connection). */
        WRITER("writer"),
        /** A reader of a {@link Database}. */
        READER("reader");

        private final String tag;

        Role(String tag) {
            this.tag = tag;
        }

        /**
         * The role's name in meters and traces.
         *
         * @return {@code connection}, {@code writer} or {@code reader}
         */
        public String tag() {
            return tag;
        }
    }

    /** How a call ended. {@link #tag()} is its name in meters. */
    public enum Outcome {
        /** It completed normally. */
        SUCCESS("success"),
        /** {@code SQLITE_BUSY}: another connection held a lock past the busy timeout. */
        BUSY("busy"),
        /** {@code SQLITE_LOCKED}: a lock of this connection's own (an active statement) was in the way. */
        LOCKED("locked"),
        /** A constraint failed ({@link SqliteConstraintException}). */
        CONSTRAINT("constraint"),
        /** Its deadline, the acquire timeout or the transaction timeout passed ({@link SqliteTimeoutException}). */
        TIMEOUT("timeout"),
        /** Its future was cancelled or its stream subscription cancelled. */
        CANCELLED("cancelled"),
        /** The client was closed ({@link SqliteClosedException}). */
        CLOSED("closed"),
        /** Any other failure. */
        ERROR("error");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }

        /**
         * The outcome's name in meters and traces.
         *
         * @return the name, such as {@code success} or {@code busy}
         */
        public String tag() {
            return tag;
        }

        /**
         * The outcome a failure stands for.
         *
         * @param failure the failure, possibly wrapped in a {@link CompletionException}; {@code null} for success
         * @return the outcome
         */
        public static Outcome of(Throwable failure) {
            Throwable e = unwrap(failure);
            if (e == null) {
                return SUCCESS;
            }
            if (e instanceof CancellationException) {
                return CANCELLED;
            }
            if (e instanceof SqliteTimeoutException) {
                return TIMEOUT;
            }
            if (e instanceof SqliteBusyException) {
                return ((SqliteBusyException) e).resultCode() == SqliteException.SQLITE_LOCKED ? LOCKED : BUSY;
            }
            if (e instanceof SqliteConstraintException) {
                return CONSTRAINT;
            }
            if (e instanceof SqliteClosedException) {
                return CLOSED;
            }
            return ERROR;
        }
    }

    private final Kind kind;
    private final Role role;
    private final String sql;
    private final long submittedNanos;
    private volatile long startedNanos;
    private long endedNanos;
    private Outcome outcome;
    private Throwable error;
    private volatile long rows;
    @SuppressWarnings("unused") // through ENDED
    private volatile boolean ended;
    /** What the listener's onSubmit returned. */
    Object context;

    CallEvent(Kind kind, Role role, String sql, long submittedNanos) {
        this.kind = kind;
        this.role = role;
        this.sql = sql;
        this.submittedNanos = submittedNanos;
    }

    /**
     * What the call does.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Which connection the call was routed to.
     *
     * @return the role
     */
    public Role role() {
        return role;
    }

    /**
     * The SQL text of the call, as given; for {@link Kind#BEGIN}, {@link Kind#COMMIT} and {@link Kind#ROLLBACK} the
     * statement the library runs. Unbounded in variety: never use it as a metric tag.
     *
     * @return the SQL, or {@code null} when there is none (a cursor fetch)
     */
    public String sql() {
        return sql;
    }

    /**
     * When the call was made.
     *
     * @return a {@link System#nanoTime()} reading
     */
    public long submittedNanos() {
        return submittedNanos;
    }

    /**
     * Whether the call reached a worker thread.
     *
     * @return {@code true} once {@link CallListener#onStart} is due
     */
    public boolean started() {
        return startedNanos != 0;
    }

    /**
     * When the call started on its worker thread, after waiting in the connection's queue and, on a
     * {@link Database}, for the writer or a reader.
     *
     * @return a {@link System#nanoTime()} reading, or {@code 0} when it never started
     */
    public long startedNanos() {
        return startedNanos;
    }

    /**
     * When the call ended, set before {@link CallListener#onEnd} runs.
     *
     * @return a {@link System#nanoTime()} reading, or {@code 0} before the end
     */
    public long endedNanos() {
        return endedNanos;
    }

    /**
     * How long the call waited before it ran: from submission to its start on the worker, or to its end when it never
     * started (cancelled, timed out or refused while waiting). Valid in {@link CallListener#onEnd}.
     *
     * @return nanoseconds, at least {@code 0}
     */
    public long waitNanos() {
        long s = startedNanos;
        return Math.max(0, (s != 0 ? s : endedNanos) - submittedNanos);
    }

    /**
     * How long the call ran: from its start on the worker to its end ({@code 0} when it never started). For a call
     * that returns a future, the end is when that future is about to complete; for a stream, its last signal.
     * Valid in {@link CallListener#onEnd}.
     *
     * @return nanoseconds, at least {@code 0}
     */
    public long runNanos() {
        long s = startedNanos;
        return s == 0 ? 0 : Math.max(0, endedNanos - s);
    }

    /**
     * How the call ended.
     *
     * @return the outcome, or {@code null} before the end
     */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * What the call failed with.
     *
     * @return the failure ({@link CancellationException} when cancelled), or {@code null} on success
     */
    public Throwable error() {
        return error;
    }

    /**
     * Rows the call returned: the rows a fetch read (at most one for {@code fetchOne}/{@code fetchOptional}), a
     * cursor fetch's rows, or the rows a stream delivered to its subscriber. {@code 0} for every other kind.
     *
     * @return the count
     */
    public long rows() {
        return rows;
    }

    @Override
    public String toString() {
        return "CallEvent[" + kind.tag() + " on " + role.tag() + (outcome == null ? "" : ", " + outcome.tag())
                + ", rows=" + rows + (sql == null ? "" : ", sql=" + sql) + "]";
    }

    // ------------------------------------------------------------------ filled in by the library

    void start(long nanos) {
        startedNanos = nanos == 0 ? 1 : nanos;
    }

    void rows(long n) {
        rows = n;
    }

    void addRows(long n) {
        rows += n;
    }

    /** Ends the event once: the first caller wins and returns {@code true}. */
    boolean end(Throwable failure) {
        if (!ENDED.compareAndSet(this, false, true)) {
            return false;
        }
        endedNanos = System.nanoTime();
        Throwable e = unwrap(failure);
        error = e;
        outcome = Outcome.of(e);
        return true;
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
