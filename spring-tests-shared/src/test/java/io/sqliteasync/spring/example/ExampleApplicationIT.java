package io.sqliteasync.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import io.sqliteasync.Database;
import io.sqliteasync.micrometer.DatabaseObservations;
import io.sqliteasync.r2dbc.SqliteConnectionFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example application on a random port, called over HTTP: Flyway migrated the file through sqlite-jdbc before
 * the R2DBC side served requests.
 */
@SpringBootTest(classes = ExampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ExampleApplicationIT {
    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        Path file = dir.resolve("notes.db").toAbsolutePath();
        registry.add("spring.r2dbc.url", () -> "r2dbc:sqlite:///" + file);
        registry.add("spring.flyway.url", () -> "jdbc:sqlite:" + file);
    }

    @Autowired
    Environment environment;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        URI uri = URI.create("http://localhost:" + environment.getProperty("local.server.port") + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (body != null) {
            b.header("Content-Type", "text/plain").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void notesAreAddedReadAndStreamedOverHttpAndABadBatchIsRolledBack() throws Exception {
        HttpResponse<String> added = send("POST", "/notes", "first");
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(added.body()).contains("\"id\":1", "\"text\":\"first\"");

        assertThat(send("POST", "/notes/batch", "second\nthird").statusCode()).isEqualTo(200);
        HttpResponse<String> rejected = send("POST", "/notes/batch", "fourth\n \nsixth");
        assertThat(rejected.statusCode()).isEqualTo(400);

        assertThat(send("GET", "/notes/2", null).body()).contains("\"text\":\"second\"");
        assertThat(send("GET", "/notes/99", null).statusCode()).isEqualTo(404);

        HttpResponse<String> all = send("GET", "/notes", null);
        assertThat(all.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/x-ndjson"));
        List<String> lines = all.body().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).contains("\"text\":\"third\"");
    }

    @Autowired
    MeterBinder sqliteMetrics;

    @Test
    void theMeterBinderBindsTheDatabasesPoolMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        sqliteMetrics.bindTo(registry);
        assertThat(registry.get("sqlite.async.readers").tag("db", "notes").gauge().value()).isPositive();
        assertThat(registry.get("sqlite.async.writer.queue").gauge().value()).isZero();
    }

    @Autowired
    ConnectionFactory connectionFactory;

    private Database database() {
        Object f = connectionFactory;
        while (!(f instanceof SqliteConnectionFactory) && f instanceof Wrapped<?> w) {
            f = w.unwrap();
        }
        return ((SqliteConnectionFactory) f).database().join();
    }

    @Test
    void repositorySavesAndQueriesThroughR2dbcAreMeasuredAndObserved() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        sqliteMetrics.bindTo(registry);
        ObservationRegistry observations = ObservationRegistry.create();
        List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
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
        Database db = database();
        DatabaseObservations observed = DatabaseObservations.observe(db, "notes", observations);
        try {
            HttpResponse<String> added = send("POST", "/notes", "measured");
            assertThat(added.statusCode()).isEqualTo(200);
            assertThat(send("GET", "/notes", null).body()).contains("measured");
        } finally {
            db.removeListener(observed);
        }

        long writerCalls = registry.get("sqlite.async.calls").tag("db", "notes").tag("role", "writer").timers()
                .stream().mapToLong(Timer::count).sum();
        long readerCalls = registry.get("sqlite.async.calls").tag("db", "notes").tag("role", "reader").timers()
                .stream().mapToLong(Timer::count).sum();
        assertThat(writerCalls).isPositive();
        assertThat(readerCalls).isPositive();
        assertThat(registry.get("sqlite.async.wait").tag("role", "writer").timer().count()).isEqualTo(writerCalls);
        assertThat(stopped).isNotEmpty().allSatisfy(c -> {
            assertThat(c.getName()).isEqualTo(DatabaseObservations.CALL);
            assertThat(c.getLowCardinalityKeyValue("db").getValue()).isEqualTo("notes");
            assertThat(c.getLowCardinalityKeyValue("outcome")).isNotNull();
        });
        assertThat(stopped).anySatisfy(c -> assertThat(c.getHighCardinalityKeyValue("sql").getValue()
                .toUpperCase(Locale.ROOT)).contains("INSERT", "NOTE"));
        assertThat(stopped).anySatisfy(c -> assertThat(c.getHighCardinalityKeyValue("sql").getValue()
                .toUpperCase(Locale.ROOT)).contains("SELECT", "NOTE"));
    }

    @Test
    void flywayMigratedTheFileBeforeTheApplicationStarted() {
        try (Database db = Database.open(dir.resolve("notes.db").toString()).join()) {
            assertThat(db.fetchOne("SELECT count(*) FROM flyway_schema_history WHERE success = 1").join().getLong(0))
                    .isEqualTo(1);
            assertThat(db.fetchOne("SELECT version FROM flyway_schema_history").join().getString(0)).isEqualTo("1");
        }
    }
}
