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
import java.util.Map;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.resource.DirectoryResourceAccessor;
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

    @Snippet("spring-liquibase-plain")
    static void liquibasePlain() throws Exception {
        Files.createDirectories(Path.of("db"));
        Files.writeString(Path.of("db/changelog.sql"), "--liquibase formatted sql\n--changeset ada:1\n"
                + "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);\n");
        // snippet:spring-liquibase-plain
        Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(Path.of("db")),
                "liquibase.analytics.enabled", false), () ->            // no usage report to liquibase.com
                new CommandScope(UpdateCommandStep.COMMAND_NAME)
                        .addArgumentValue(DbUrlConnectionArgumentsCommandStep.URL_ARG, "jdbc:sqlite:app.db")
                        .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, "changelog.sql")
                        .execute());                                   // a no-op when nothing is pending
        try (Database db = Database.open("app.db").join()) {
            db.execute("INSERT INTO person (name, age) VALUES (?, ?)", "Ada", 36).join();
        }
        // end-snippet
        try (Database db = Database.open("app.db").join()) {
            assertEquals(1L, db.fetchOne("SELECT count(*) FROM DATABASECHANGELOG").join().getLong(0));
        }
    }

    @Snippet("spring-metrics")
    static void metrics() {
        MeterRegistry meterRegistry = new SimpleMeterRegistry();
        try (Database db = Database.open("app.db").join()) {
            db.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)").join();
            // snippet:spring-metrics
            new DatabaseMetrics(db, "app").bindTo(meterRegistry);   // every call: sqlite.async.calls, waits, rows

            ObservationRegistry observations = ObservationRegistry.create();
            observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meterRegistry));
            DatabaseObservations.observe(db, "app", observations);   // an observation sqlite.async.call per call

            db.execute("INSERT INTO person (name) VALUES (?)", "Ada").join();   // measured and observed
            db.fetchAll("SELECT * FROM person").join();
            // end-snippet
            assertEquals(2, meterRegistry.get("sqlite.async.call").timers().size());
            assertEquals(1L, meterRegistry.get("sqlite.async.calls").tag("kind", "execute").tag("role", "writer")
                    .timer().count());
            assertEquals(1L, meterRegistry.get("sqlite.async.calls").tag("kind", "fetch").tag("role", "reader")
                    .timer().count());
        }
    }
}
