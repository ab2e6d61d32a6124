package io.sqliteasync.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sqliteasync.CallEvent;
import io.sqliteasync.CallListener;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The listener behind {@link DatabaseMetrics}: per-call meters of one client in one registry. Meters are registered
 * on first use and then kept in arrays indexed by kind, outcome and role, so a call costs a few array reads and the
 * meters' own updates; nothing allocates per call. Thread-safe.
 */
final class CallMeters implements CallListener {
    private static final CallEvent.Kind[] KINDS = CallEvent.Kind.values();
    private static final CallEvent.Outcome[] OUTCOMES = CallEvent.Outcome.values();
    private static final CallEvent.Role[] ROLES = CallEvent.Role.values();

    private final MeterRegistry registry;
    private final Tags tags;
    private final AtomicReferenceArray<Timer> calls = new AtomicReferenceArray<>(
            KINDS.length * OUTCOMES.length * ROLES.length);
    private final AtomicReferenceArray<Timer> waits = new AtomicReferenceArray<>(ROLES.length);
    private final AtomicReferenceArray<Counter> failures = new AtomicReferenceArray<>(
            OUTCOMES.length * ROLES.length);
    private final AtomicReferenceArray<DistributionSummary> rows = new AtomicReferenceArray<>(KINDS.length);
    private final Counter rowsStreamed;
    private final LongAdder[] pending = new LongAdder[ROLES.length];
    private final LongAdder[] active = new LongAdder[ROLES.length];

    CallMeters(MeterRegistry registry, Tags tags, boolean connection) {
        this.registry = registry;
        this.tags = tags;
        this.rowsStreamed = Counter.builder(DatabaseMetrics.ROWS_STREAMED).tags(tags)
                .description("Rows delivered by streams and cursor fetches").register(registry);
        for (CallEvent.Role role : ROLES) {
            pending[role.ordinal()] = new LongAdder();
            active[role.ordinal()] = new LongAdder();
            if ((role == CallEvent.Role.CONNECTION) != connection) {
                continue;
            }
            LongAdder p = pending[role.ordinal()];
            LongAdder a = active[role.ordinal()];
            Gauge.builder(DatabaseMetrics.PENDING, p, LongAdder::sum).tags(tags).tag("role", role.tag())
                    .description("Calls made and not started yet: waiting for a connection or in its queue")
                    .register(registry);
            Gauge.builder(DatabaseMetrics.ACTIVE, a, LongAdder::sum).tags(tags).tag("role", role.tag())
                    .description("Calls running on a worker (open streams included)").register(registry);
            for (CallEvent.Outcome o : new CallEvent.Outcome[] {CallEvent.Outcome.BUSY, CallEvent.Outcome.LOCKED,
                    CallEvent.Outcome.CANCELLED, CallEvent.Outcome.TIMEOUT}) {
                failureCounter(o, role);
            }
            waitTimer(role);
        }
    }

    @Override
    public Object onSubmit(CallEvent call) {
        pending[call.role().ordinal()].increment();
        return null;
    }

    @Override
    public void onStart(CallEvent call, Object context) {
        int r = call.role().ordinal();
        pending[r].decrement();
        active[r].increment();
    }

    @Override
    public void onEnd(CallEvent call, Object context) {
        int r = call.role().ordinal();
        (call.started() ? active : pending)[r].decrement();
        callTimer(call).record(call.runNanos(), TimeUnit.NANOSECONDS);
        waitTimer(call.role()).record(call.waitNanos(), TimeUnit.NANOSECONDS);
        CallEvent.Outcome o = call.outcome();
        if (o != CallEvent.Outcome.SUCCESS && o != CallEvent.Outcome.ERROR && o != CallEvent.Outcome.CONSTRAINT
                && o != CallEvent.Outcome.CLOSED) {
            failureCounter(o, call.role()).increment();
        }
        CallEvent.Kind k = call.kind();
        if (k == CallEvent.Kind.FETCH || k == CallEvent.Kind.CURSOR_FETCH || k == CallEvent.Kind.STREAM) {
            rowSummary(k).record(call.rows());
            if (k != CallEvent.Kind.FETCH) {
                rowsStreamed.increment(call.rows());
            }
        }
    }

    private Timer callTimer(CallEvent call) {
        int i = (call.kind().ordinal() * OUTCOMES.length + call.outcome().ordinal()) * ROLES.length
                + call.role().ordinal();
        Timer t = calls.get(i);
        if (t == null) {
            t = Timer.builder(DatabaseMetrics.CALLS).tags(tags).tag("kind", call.kind().tag())
                    .tag("outcome", call.outcome().tag()).tag("role", call.role().tag())
                    .description("Calls by kind, outcome and connection role: time each ran on its worker")
                    .register(registry);
            calls.set(i, t);
        }
        return t;
    }

    private Timer waitTimer(CallEvent.Role role) {
        Timer t = waits.get(role.ordinal());
        if (t == null) {
            t = Timer.builder(DatabaseMetrics.WAIT).tags(tags).tag("role", role.tag())
                    .description("Time calls waited before running: for the writer or a reader, and in the"
                            + " connection's queue")
                    .register(registry);
            waits.set(role.ordinal(), t);
        }
        return t;
    }

    private Counter failureCounter(CallEvent.Outcome outcome, CallEvent.Role role) {
        int i = outcome.ordinal() * ROLES.length + role.ordinal();
        Counter c = failures.get(i);
        if (c == null) {
            String name = switch (outcome) {
                case BUSY -> DatabaseMetrics.BUSY;
                case LOCKED -> DatabaseMetrics.LOCKED;
                case CANCELLED -> DatabaseMetrics.CANCELLED;
                default -> DatabaseMetrics.TIMEOUTS;
            };
            c = Counter.builder(name).tags(tags).tag("role", role.tag())
                    .description("Calls that ended " + outcome.tag()).register(registry);
            failures.set(i, c);
        }
        return c;
    }

    private DistributionSummary rowSummary(CallEvent.Kind kind) {
        DistributionSummary s = rows.get(kind.ordinal());
        if (s == null) {
            s = DistributionSummary.builder(DatabaseMetrics.ROWS).tags(tags).tag("kind", kind.tag())
                    .baseUnit("rows").description("Rows returned per fetch, cursor fetch or stream")
                    .register(registry);
            rows.set(kind.ordinal(), s);
        }
        return s;
    }
}
