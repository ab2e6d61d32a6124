package io.sqliteasync.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqliteasync.Database;
import io.sqliteasync.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flyway migrates a SQLite file through sqlite-jdbc, before and while the application's {@link Database} is open. */
class FlywayMigrationIT {
    @TempDir
    Path dir;
    Path migrations;
    String file;

    @BeforeEach
    void migrations() throws Exception {
        migrations = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__person.sql"),
                "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n");
        Files.writeString(migrations.resolve("V2__person_age.sql"),
                "ALTER TABLE person ADD COLUMN age INTEGER;\nCREATE INDEX person_name ON person(name);\n");
        file = dir.resolve("app.db").toString();
    }

    private MigrateResult migrate() {
        return Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null)
                .locations("filesystem:" + migrations).load().migrate();
    }

    private static List<String> schema(Database db) {
        return db.fetchAll("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name").join()
                .stream().map(r -> r.getString(0)).collect(Collectors.toList());
    }

    @Test
    void aVersionedSetIsAppliedOnceAndARerunIsANoOp() {
        MigrateResult first = migrate();
        assertThat(first.migrationsExecuted).isEqualTo(2);
        assertThat(first.targetSchemaVersion).isEqualTo("2");

        MigrateResult again = migrate();
        assertThat(again.migrationsExecuted).isZero();

        try (Database db = Database.open(file).join()) {
            db.execute("INSERT INTO person (name, age) VALUES ('Ada', 36)").join();
            assertThat(db.fetchOne("SELECT count(*) FROM flyway_schema_history WHERE success = 1").join().getLong(0))
                    .isEqualTo(2);
        }
    }

    @Test
    void aMigrationRunsWhileTheApplicationsDatabaseIsOpenOnTheSameFile() throws Exception {
        migrate();
        try (Database db = Database.open(file).join()) {
            db.execute("INSERT INTO person (name, age) VALUES ('Ada', 36)").join();
            Files.writeString(migrations.resolve("V3__email.sql"), "ALTER TABLE person ADD COLUMN email TEXT;\n"
                    + "UPDATE person SET email = lower(name) || '@example.org';\n");

            assertThat(migrate().migrationsExecuted).isEqualTo(1);

            // The readers' statement caches were prepared against the old schema; SQLite re-prepares them.
            Row ada = db.fetchOne("SELECT * FROM person").join();
            assertThat(ada.getString("email")).isEqualTo("ada@example.org");
            db.execute("INSERT INTO person (name, age, email) VALUES ('Grace', 45, 'g@example.org')").join();
        }
    }

    @Test
    void aFailingMigrationLeavesTheSchemaAsItWas() throws Exception {
        migrate();
        Files.writeString(migrations.resolve("V3__broken.sql"), "CREATE TABLE audit (id INTEGER PRIMARY KEY);\n"
                + "ALTER TABLE person ADD COLUMN email TEXT;\n"
                + "INSERT INTO no_such_table VALUES (1);\n");
        try (Database db = Database.open(file).join()) {
            List<String> before = schema(db);

            assertThatThrownBy(this::migrate).isInstanceOf(FlywayException.class);

            // SQLite's DDL is transactional: the table and the column of the failed script are gone with it.
            assertThat(schema(db)).isEqualTo(before).doesNotContain("audit");
            assertThat(db.fetchAll("SELECT name FROM pragma_table_info('person')").join())
                    .extracting(r -> r.getString(0)).containsExactly("id", "name", "age");
            assertThat(db.fetchOne("SELECT max(version) FROM flyway_schema_history WHERE success = 1").join()
                    .getString(0)).isEqualTo("2");
        }
    }
}
