package io.sqliteasync.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.sqliteasync.AsyncConnection;
import io.sqliteasync.CallEvent;
import io.sqliteasync.CallListener;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.Deadline;
import io.sqliteasync.Row;
import io.sqliteasync.SqliteConstraintException;
import io.sqliteasync.SqliteTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Meters and observations of ordinary calls, fed by the core's call listener. */
class DatabaseMetricsIT {
    static final String ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
            + " SELECT count(*) FROM c";

    @TempDir
    Path dir;
    Database db;
    SimpleMeterRegistry meters;
    TestObservationRegistry observations;
    List<Observation.Context> stopped;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseOptions.builder(dir.resolve("m.db").toString()).readers(2).build()).join();
        db.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)").join();
        meters = new SimpleMeterRegistry();
        observations = TestObservationRegistry.create();
        stopped = new CopyOnWriteArrayList<>();
        observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** 10 executes, 5 fetches, 1 failing constraint, 1 cancelled endless query, 1 timed-out query. */
    private void knownWorkload() throws Exception {
        for (int i = 0; i < 10; i++) {
            db.execute("INSERT INTO t (v) VALUES (?)", "v" + i).join();
        }
        for (int i = 0; i < 5; i++) {
            assertThat(db.fetchAll("SELECT * FROM t").join()).hasSize(10);
        }
        assertThatThrownBy(() -> db.execute("INSERT INTO t (v) VALUES ('v0')").join())
                .hasCauseInstanceOf(SqliteConstraintException.class);

        CountDownLatch running = new CountDownLatch(1);
        CallListener watch = new CallListener() {
            @Override
            public void onStart(CallEvent call, Object context) {
                if (ENDLESS.equals(call.sql())) {
                    running.countDown();
                }
            }

            @Override
            public void onEnd(CallEvent call, Object context) {
            }
        };
        db.addListener(watch);
        CompletableFuture<Row> endless = db.fetchOne(ENDLESS);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        endless.cancel(true);
        db.removeListener(watch);

        assertThatThrownBy(() -> Deadline.within(Duration.ofMillis(50), () -> db.fetchOne(ENDLESS)).join())
                .hasCauseInstanceOf(SqliteTimeoutException.class);
    }

    private Timer calls(String kind, String outcome, String role) {
        return meters.get(DatabaseMetrics.CALLS).tag("db", "app").tag("kind", kind).tag("outcome", outcome)
                .tag("role", role).timer();
    }

    @Test
    void aKnownWorkloadGivesExactCountsPerKindOutcomeAndRole() throws Exception {
        new DatabaseMetrics(db, "app").bindTo(meters);
        knownWorkload();

        assertThat(calls("execute", "success", "writer").count()).isEqualTo(10);
        assertThat(calls("execute", "constraint", "writer").count()).isEqualTo(1);
        assertThat(calls("fetch", "success", "reader").count()).isEqualTo(5);
        assertThat(calls("fetch", "cancelled", "reader").count()).isEqualTo(1);
        assertThat(calls("fetch", "timeout", "reader").count()).isEqualTo(1);
        assertThat(meters.get(DatabaseMetrics.CALLS).timers()).hasSize(5)
                .allSatisfy(t -> assertThat(t.totalTime(TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(0));

        Timer writerWait = meters.get(DatabaseMetrics.WAIT).tag("role", "writer").timer();
        Timer readerWait = meters.get(DatabaseMetrics.WAIT).tag("role", "reader").timer();
        assertThat(writerWait.count()).isEqualTo(11);
        assertThat(readerWait.count()).isEqualTo(7);
        assertThat(writerWait.totalTime(TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(0);

        assertThat(meters.get(DatabaseMetrics.CANCELLED).tag("role", "reader").counter().count()).isEqualTo(1);
        assertThat(meters.get(DatabaseMetrics.TIMEOUTS).tag("role", "reader").counter().count()).isEqualTo(1);
        assertThat(meters.get(DatabaseMetrics.CANCELLED).tag("role", "writer").counter().count()).isZero();
        assertThat(meters.get(DatabaseMetrics.BUSY).counters()).allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(meters.get(DatabaseMetrics.LOCKED).counters()).allSatisfy(c -> assertThat(c.count()).isZero());

        var rows = meters.get(DatabaseMetrics.ROWS).tag("kind", "fetch").summary();
        assertThat(rows.count()).isEqualTo(7);
        assertThat(rows.totalAmount()).isEqualTo(50);

        assertThat(meters.get(DatabaseMetrics.PENDING).tag("role", "writer").gauge().value()).isZero();
        assertThat(meters.get(DatabaseMetrics.PENDING).tag("role", "reader").gauge().value()).isZero();
        assertThat(meters.get("sqlite.async.readers").tag("db", "app").gauge().value()).isEqualTo(2.0);
        assertThat(meters.get("sqlite.async.writer.queue").gauge().value()).isZero();
        FunctionTimer poolWait = meters.get("sqlite.async.writer.wait").functionTimer();
        assertThat(poolWait.count()).isEqualTo(db.stats().writerAcquisitions());
        assertThat(meters.get("sqlite.async.acquire.timeouts").functionCounter().count()).isZero();
    }

    @Test
    void eachCallIsAnObservationWithLowCardinalityTagsAndTheSqlOnlyAsAHighCardinalityValue() throws Exception {
        DatabaseObservations.observe(db, "app", observations);
        knownWorkload();

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo(DatabaseObservations.CALL, 18)
                .doesNotHaveAnyRemainingCurrentObservation();
        assertThat(stopped).hasSize(18);
        assertThat(stopped.stream().map(c -> c.getLowCardinalityKeyValue("kind").getValue() + "/"
                + c.getLowCardinalityKeyValue("role").getValue() + "/"
                + c.getLowCardinalityKeyValue("outcome").getValue())
                .collect(Collectors.groupingBy(s -> s, Collectors.counting())))
                .containsOnly(
                        java.util.Map.entry("execute/writer/success", 10L),
                        java.util.Map.entry("fetch/reader/success", 5L),
                        java.util.Map.entry("execute/writer/constraint", 1L),
                        java.util.Map.entry("fetch/reader/cancelled", 1L),
                        java.util.Map.entry("fetch/reader/timeout", 1L));
        assertThat(stopped).allSatisfy(c -> {
            assertThat(c.getLowCardinalityKeyValue("db").getValue()).isEqualTo("app");
            assertThat(c.getLowCardinalityKeyValue("sql")).isNull();
            assertThat(c.getHighCardinalityKeyValue("sql")).isNotNull();
        });
        Observation.Context failed = stopped.stream()
                .filter(c -> c.getLowCardinalityKeyValue("outcome").getValue().equals("constraint"))
                .findFirst().orElseThrow();
        assertThat(failed.getHighCardinalityKeyValue("sql").getValue()).isEqualTo("INSERT INTO t (v) VALUES ('v0')");
        assertThat(failed.getError()).isInstanceOf(SqliteConstraintException.class);
        assertThat(stopped.stream().filter(c -> c.getLowCardinalityKeyValue("outcome").getValue().equals("success")
                && c.getLowCardinalityKeyValue("kind").getValue().equals("fetch")))
                .allSatisfy(c -> assertThat(c.getHighCardinalityKeyValue("rows").getValue()).isEqualTo("10"));
    }

    @Test
    void aCallMadeInsideAnObservationIsItsChildAndWithAMeterHandlerBecomesATimerPerKindAndOutcome() {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        List<Observation.Context> seen = new CopyOnWriteArrayList<>();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                seen.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        DatabaseObservations.observe(db, "app", registry);
        Observation request = Observation.createNotStarted("request", registry);
        request.observe(() -> db.execute("INSERT INTO t (v) VALUES ('a')").join());
        db.fetchAll("SELECT * FROM t").join();

        Observation.Context insert = seen.stream().filter(c -> c.getName().equals(DatabaseObservations.CALL))
                .findFirst().orElseThrow();
        assertThat(insert.getParentObservation()).isNotNull();
        assertThat(insert.getParentObservation().getContextView().getName()).isEqualTo("request");
        assertThat(meters.get(DatabaseObservations.CALL).tag("kind", "execute").tag("outcome", "success").timer()
                .count()).isEqualTo(1);
        assertThat(meters.get(DatabaseObservations.CALL).tag("kind", "fetch").tag("role", "reader").timer()
                .count()).isEqualTo(1);
    }

    @Test
    void transactionsStreamsAndCursorsAreCountedWithTheirRows() throws Exception {
        new DatabaseMetrics(db, "app").bindTo(meters);
        db.transaction(tx -> tx.executeMany("INSERT INTO t (v) VALUES (?)",
                List.of(List.of("a"), List.of("b"), List.of("c")))).join();
        CompletableFuture<Long> streamed = new CompletableFuture<>();
        db.stream("SELECT * FROM t").subscribe(new Flow.Subscriber<Row>() {
            long n;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Row item) {
                n++;
            }

            @Override
            public void onError(Throwable t) {
                streamed.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                streamed.complete(n);
            }
        });
        assertThat(streamed.get(10, TimeUnit.SECONDS)).isEqualTo(3);
        try (var cursor = db.cursor("SELECT * FROM t").join()) {
            assertThat(cursor.fetchMany(2).join()).hasSize(2);
        }

        assertThat(calls("begin", "success", "writer").count()).isEqualTo(1);
        assertThat(calls("executeMany", "success", "writer").count()).isEqualTo(1);
        assertThat(calls("commit", "success", "writer").count()).isEqualTo(1);
        assertThat(calls("stream", "success", "reader").count()).isEqualTo(1);
        assertThat(calls("cursor", "success", "reader").count()).isEqualTo(1);
        assertThat(calls("cursor.fetch", "success", "reader").count()).isEqualTo(1);
        assertThat(meters.get(DatabaseMetrics.ROWS_STREAMED).counter().count()).isEqualTo(5);
        assertThat(meters.get(DatabaseMetrics.ROWS).tag("kind", "stream").summary().totalAmount()).isEqualTo(3);
    }

    @Test
    void aConnectionsCallsAreCountedWithRoleConnectionAndCloseStopsCounting() {
        try (AsyncConnection c = AsyncConnection.open(dir.resolve("c.db").toString()).join()) {
            DatabaseMetrics metrics = new DatabaseMetrics(c, "one");
            metrics.bindTo(meters);
            c.execute("CREATE TABLE x (v)").join();
            c.blocking().execute("INSERT INTO x VALUES (1)");
            c.fetchAll("SELECT * FROM x").join();
            metrics.close();
            c.execute("INSERT INTO x VALUES (2)").join();

            assertThat(meters.get(DatabaseMetrics.CALLS).tag("db", "one").tag("kind", "execute")
                    .tag("role", "connection").timer().count()).isEqualTo(2);
            assertThat(meters.get(DatabaseMetrics.CALLS).tag("kind", "fetch").timer().count()).isEqualTo(1);
            assertThat(meters.get(DatabaseMetrics.WAIT).tag("role", "connection").timer().count()).isEqualTo(3);
            assertThat(meters.get(DatabaseMetrics.PENDING).tag("role", "connection").gauge().value()).isZero();
            assertThat(meters.find(DatabaseMetrics.PENDING).tag("role", "writer").gauge()).isNull();
        }
    }
}
