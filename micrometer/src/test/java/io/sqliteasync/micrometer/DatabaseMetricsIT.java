package io.sqliteasync.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.Row;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool's meters and the per-call observations. */
class DatabaseMetricsIT {
    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseOptions.builder(dir.resolve("m.db").toString()).readers(2).build()).join();
        db.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)").join();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void thePoolsFiguresAreMetersTaggedWithTheDatabaseName() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new DatabaseMetrics(db, "app").bindTo(registry);
        for (int i = 0; i < 5; i++) {
            db.execute("INSERT INTO t (v) VALUES (?)", "v" + i).join();
            db.fetchAll("SELECT * FROM t").join();
        }
        assertThat(registry.get("sqlite.async.readers").tag("db", "app").gauge().value()).isEqualTo(2.0);
        assertThat(registry.get("sqlite.async.writer.queue").gauge().value()).isZero();
        assertThat(registry.get("sqlite.async.reader.queue").gauge().value()).isZero();
        assertThat(registry.get("sqlite.async.writer.busy").gauge().value()).isZero();
        FunctionTimer writerWait = registry.get("sqlite.async.writer.wait").functionTimer();
        assertThat(writerWait.count()).isEqualTo(db.stats().writerAcquisitions()).isGreaterThanOrEqualTo(5);
        assertThat(registry.get("sqlite.async.reader.wait").functionTimer().count()).isGreaterThanOrEqualTo(5);
        assertThat(registry.get("sqlite.async.acquire.timeouts").functionCounter().count()).isZero();
        assertThat(registry.get("sqlite.async.transaction.timeouts").functionCounter().count()).isZero();
        assertThat(registry.get("sqlite.async.writer.wait.max").timeGauge().value()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void eachCallIsAnObservationWithKindOutcomeAndTheSqlOnlyAsAHighCardinalityValue() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        DatabaseObservations calls = new DatabaseObservations(db, "app", registry, null);
        calls.execute("INSERT INTO t (v) VALUES (?)", "a").join();
        assertThatThrownBy(() -> calls.execute("INSERT INTO t (v) VALUES (?)", "a").join())
                .isInstanceOf(CompletionException.class);
        assertThat(calls.fetchAll("SELECT v FROM t").join()).hasSize(1);

        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(DatabaseObservations.CALL, 3)
                .forAllObservationsWithNameEqualTo(DatabaseObservations.CALL, o -> o
                        .hasLowCardinalityKeyValue("db", "app")
                        .doesNotHaveLowCardinalityKeyValueWithKey("sql")
                        .hasHighCardinalityKeyValueWithKey("sql"));
        assertThat(stopped).extracting(c -> c.getLowCardinalityKeyValue("outcome").getValue())
                .containsExactly("success", "constraint", "success");
        assertThat(stopped).extracting(c -> c.getLowCardinalityKeyValue("kind").getValue())
                .containsExactly("execute", "execute", "fetch");
        assertThat(stopped.get(2).getHighCardinalityKeyValue("rows").getValue()).isEqualTo("1");
    }

    @Test
    void observationsBecomeTimersPerKindAndOutcomeAndStreamedRowsAreCounted() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        DatabaseObservations calls = new DatabaseObservations(db, "app", observations, meters);
        calls.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) INSERT INTO t (v) SELECT 'r' || i FROM n").join();

        List<Row> got = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        calls.stream("SELECT v FROM t").subscribe(new Flow.Subscriber<Row>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Row item) {
                got.add(item);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.get();

        assertThat(got).hasSize(10);
        assertThat(meters.get(DatabaseObservations.ROWS_STREAMED).tag("db", "app").counter().count()).isEqualTo(10);
        assertThat(meters.get(DatabaseObservations.CALL).tags("kind", "execute", "outcome", "success").timer().count())
                .isEqualTo(1);
        assertThat(meters.get(DatabaseObservations.CALL).tags("kind", "stream", "outcome", "success").timer().count())
                .isEqualTo(1);
    }

    @Test
    void aCancelledCallEndsItsObservationAsCancelled() throws Exception {
        TestObservationRegistry registry = TestObservationRegistry.create();
        CountDownLatch stopped = new CountDownLatch(1);
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                stopped.countDown();
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        DatabaseObservations calls = new DatabaseObservations(db, "app", registry, null);
        CompletableFuture<List<Row>> endless = calls.fetchAll(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n");
        endless.cancel(true);
        // The database stops SQLite and completes its own future on the worker: the observation ends then.
        assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                .hasBeenStopped().hasLowCardinalityKeyValue("outcome", "cancelled");
        assertThat(db.fetchOne("SELECT 1").join().getInt(0)).isEqualTo(1);
    }
}
