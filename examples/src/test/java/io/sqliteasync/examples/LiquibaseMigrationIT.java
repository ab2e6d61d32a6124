package io.sqliteasync.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqliteasync.Database;
import io.sqliteasync.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liquibase 4.x ({@code liquibase-core}, which has SQLite support built in) migrates a SQLite file through
 * sqlite-jdbc's JDBC URL, before and while the application's {@link Database} is open.
 */
class LiquibaseMigrationIT {
    @TempDir
    Path dir;
    Path changelogs;
    String file;

    @BeforeEach
    void changelog() throws Exception {
        changelogs = Files.createDirectories(dir.resolve("changelog"));
        Files.writeString(changelogs.resolve("changelog.sql"), """
                --liquibase formatted sql

                --changeset ada:1
                CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL);

                --changeset ada:2
                ALTER TABLE person ADD COLUMN age INTEGER;
                CREATE INDEX person_name ON person(name);
                """);
        file = dir.resolve("app.db").toString();
    }

    /** {@code liquibase update} of changelog.sql on the file; no usage analytics sent from a test. */
    private void update() throws Exception {
        Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(changelogs),
                "liquibase.analytics.enabled", false), () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                        .addArgumentValue(DbUrlConnectionArgumentsCommandStep.URL_ARG, "jdbc:sqlite:" + file)
                        .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, "changelog.sql")
                        .execute());
    }

    private static List<String> schema(Database db) {
        return db.fetchAll("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name").join()
                .stream().map(r -> r.getString(0)).collect(Collectors.toList());
    }

    private static List<String> applied(Database db) {
        return db.fetchAll("SELECT id FROM DATABASECHANGELOG ORDER BY orderexecuted").join().stream()
                .map(r -> r.getString(0)).collect(Collectors.toList());
    }

    @Test
    void aChangelogIsAppliedOnceAndARerunIsANoOp() throws Exception {
        update();
        try (Database db = Database.open(file).join()) {
            assertThat(applied(db)).containsExactly("1", "2");
            assertThat(schema(db)).contains("person", "person_name");
        }

        update();

        try (Database db = Database.open(file).join()) {
            assertThat(applied(db)).containsExactly("1", "2");
            db.execute("INSERT INTO person (name, age) VALUES ('Ada', 36)").join();
            assertThat(db.fetchOne("SELECT count(*) FROM person").join().getLong(0)).isEqualTo(1);
        }
    }

    @Test
    void aChangesetRunsWhileTheApplicationsDatabaseIsOpenOnTheSameFile() throws Exception {
        update();
        try (Database db = Database.open(file).join()) {
            db.execute("INSERT INTO person (name, age) VALUES ('Ada', 36)").join();
            Files.writeString(changelogs.resolve("changelog.sql"), """

                    --changeset ada:3
                    ALTER TABLE person ADD COLUMN email TEXT;
                    UPDATE person SET email = lower(name) || '@example.org';
                    """, java.nio.file.StandardOpenOption.APPEND);

            update();

            assertThat(applied(db)).containsExactly("1", "2", "3");
            // The readers' statement caches were prepared against the old schema; SQLite re-prepares them.
            Row ada = db.fetchOne("SELECT * FROM person").join();
            assertThat(ada.getString("email")).isEqualTo("ada@example.org");
            db.execute("INSERT INTO person (name, age, email) VALUES ('Grace', 45, 'g@example.org')").join();
        }
    }

    @Test
    void aFailingChangesetLeavesTheSchemaAsItWas() throws Exception {
        update();
        Files.writeString(changelogs.resolve("changelog.sql"), """

                --changeset ada:3
                CREATE TABLE audit (id INTEGER PRIMARY KEY);
                ALTER TABLE person ADD COLUMN email TEXT;
                INSERT INTO no_such_table VALUES (1);
                """, java.nio.file.StandardOpenOption.APPEND);
        try (Database db = Database.open(file).join()) {
            List<String> before = schema(db);

            assertThatThrownBy(this::update).hasStackTraceContaining("no_such_table");

            // SQLite's DDL is transactional: the table and the column of the failed changeset are gone with it.
            assertThat(schema(db)).isEqualTo(before).doesNotContain("audit");
            assertThat(db.fetchAll("SELECT name FROM pragma_table_info('person')").join())
                    .extracting(r -> r.getString(0)).containsExactly("id", "name", "age");
            assertThat(applied(db)).containsExactly("1", "2");
            assertThat(db.fetchOne("SELECT count(*) FROM DATABASECHANGELOGLOCK WHERE locked = 1").join().getLong(0))
                    .isZero();
        }
    }
}
