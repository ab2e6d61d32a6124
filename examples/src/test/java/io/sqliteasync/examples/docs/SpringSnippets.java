package io.sqliteasync.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.sqliteasync.Database;
import io.sqliteasync.micrometer.DatabaseMetrics;
import io.sqliteasync.micrometer.DatabaseObservations;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;

/**
 * docs/spring.md's plain-Java snippets. Its Spring snippets are regions of the example application
 * (spring-tests-shared), which the Boot 3 and Boot 4 test modules compile and run.
 */
final class SpringSnippets {
    private SpringSnippets() {
    }

    @Snippet("spring-flyway-plain")
    static void flywayPlain() throws Exception {
        Files.createDirectories(Path.of("db/migration"));
        Files.writeString(Path.of("db/migration/V1__person.sql"),
                "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);\n");
        // snippet:spring-flyway-plain
        Flyway.configure()
                .dataSource("jdbc:sqlite:app.db", null, null)     // sqlite-jdbc, which sqlite-async-core brings
                .locations("filesystem:db/migration")              // or classpath:db/migration
                .load()
                .migrate();                                        // a no-op when nothing is pending
        try (Database db = Database.open("app.db").join()) {
            db.execute("INSERT INTO person (name, age) VALUES (?, ?)", "Ada", 36).join();
        }
        // end-snippet
        try (Database db = Database.open("app.db").join()) {
            assertEquals(1L, db.fetchOne("SELECT count(*) FROM person").join().getLong(0));
        }
    }

    @Snippet("spring-metrics")
    static void metrics() {
        MeterRegistry meterRegistry = new SimpleMeterRegistry();
        try (Database db = Database.open("app.db").join()) {
            db.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)").join();
            // snippet:spring-metrics
            new DatabaseMetrics(db, "app").bindTo(meterRegistry);        // queue depths, waits, timeouts

            ObservationRegistry observations = ObservationRegistry.create();
            observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meterRegistry));
            DatabaseObservations calls = new DatabaseObservations(db, "app", observations, meterRegistry);
            calls.execute("INSERT INTO person (name) VALUES (?)", "Ada").join();   // observed: sqlite.async.call
            calls.fetchAll("SELECT * FROM person").join();
            // end-snippet
            assertEquals(2, meterRegistry.get("sqlite.async.call").timers().size());
        }
    }
}
