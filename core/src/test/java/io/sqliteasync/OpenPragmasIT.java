package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pragmas set at open are checked: SQLite ignores what it does not understand, so a value it did not take fails the
 * open with what was asked and what SQLite answered.
 */
class OpenPragmasIT {
    @TempDir
    Path dir;

    private AsyncConnection open(String file, String name, String value) {
        return AsyncConnection.open(ConnectionOptions.builder(dir.resolve(file).toString()).pragma(name, value)
                .build()).join();
    }

    private static SqliteException openFailure(Runnable open) {
        try {
            open.run();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(SqliteException.class);
            return (SqliteException) e.getCause();
        }
        throw new AssertionError("the open succeeded");
    }

    @Test
    void anUnknownJournalModeFailsTheOpenWithSqlitesAnswer() {
        SqliteException e = openFailure(() -> open("j.db", "journal_mode", "BANANA").close());
        assertThat(e).hasMessageContaining("PRAGMA journal_mode = BANANA: SQLite answered 'delete'")
                .hasMessageContaining("cannot open database");
    }

    @Test
    void anUnknownJournalModeFailsOnAnInMemoryDatabaseToo() {
        SqliteException e = openFailure(() -> AsyncConnection.open(ConnectionOptions.builder(":memory:")
                .pragma("journal_mode", "BANANA").build()).join().close());
        assertThat(e).hasMessageContaining("PRAGMA journal_mode = BANANA: SQLite answered 'memory'");
    }

    @Test
    void walOnAnInMemoryDatabaseIsAcceptedAndStaysMemory() {
        try (AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(":memory:")
                .pragma("journal_mode", "WAL").build()).join()) {
            assertThat(c.fetchOne("PRAGMA journal_mode").join().getString(0)).isEqualTo("memory");
        }
    }

    @Test
    void walOnAReadOnlyConnectionFailsTheOpen() {
        open("ro.db", "user_version", "1").close();
        SqliteException e = openFailure(() -> AsyncConnection.open(ConnectionOptions.builder(
                dir.resolve("ro.db").toString()).readOnly(true).pragma("journal_mode", "WAL").build()).join().close());
        assertThat(e).hasMessageContaining("SQLITE_READONLY").hasMessageContaining("PRAGMA journal_mode = WAL");
    }

    @ParameterizedTest(name = "{0} = {1} reads back as {2}")
    @CsvSource({
        "journal_mode, WAL, wal",
        "journal_mode, 'wal', wal",
        "journal_mode, TRUNCATE, truncate",
        "locking_mode, NORMAL, normal",
        "foreign_keys, ON, 1",
        "foreign_keys, true, 1",
        "foreign_keys, yes, 1",
        "foreign_keys, 1, 1",
        "foreign_keys, OFF, 0",
        "recursive_triggers, on, 1",
        "synchronous, OFF, 0",
        "synchronous, NORMAL, 1",
        "synchronous, 1, 1",
        "synchronous, FULL, 2",
        "synchronous, EXTRA, 3",
        "temp_store, MEMORY, 2",
        "temp_store, FILE, 1",
        "cache_size, -8000, -8000",
        "user_version, 7, 7",
        "busy_timeout, 1234, 1234",
        "auto_vacuum, FULL, 1"
    })
    void goodValuesOpenAndTakeEffect(String name, String value, String readBack) {
        try (AsyncConnection c = open("g.db", name, value)) {
            assertThat(String.valueOf(c.fetchOne("PRAGMA " + name).join().get(0))).isEqualTo(readBack);
        }
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "foreign_keys, BANANA, SQLite answered '0'",
        "foreign_keys, maybe, is not a value foreign_keys accepts",
        "synchronous, SOMETIMES, is not a value synchronous accepts",
        "synchronous, 7, is not a value synchronous accepts",
        "temp_store, DISK, SQLite answered '0'",
        "cache_size, lots, SQLite answered '0'",
        "user_version, seven, SQLite answered '0'",
        "locking_mode, SHARED, SQLite answered 'normal'",
        "foreing_keys, ON, SQLite has no pragma named 'foreing_keys'"
    })
    void badValuesFailTheOpenNamingThePragmaAndTheAnswer(String name, String value, String message) {
        SqliteException e = openFailure(() -> open("b.db", name, value).close());
        assertThat(e).hasMessageContaining("PRAGMA " + name + " = " + value).hasMessageContaining(message);
    }

    @Test
    void aFailedPragmaCheckLeavesNoConnectionOpen() {
        for (int i = 0; i < 20; i++) {
            openFailure(() -> open("l.db", "journal_mode", "BANANA").close());
        }
        // The file is not held: a new connection takes it over and switches it to WAL.
        try (AsyncConnection c = open("l.db", "journal_mode", "WAL")) {
            assertThat(c.fetchOne("PRAGMA journal_mode").join().getString(0)).isEqualTo("wal");
        }
    }

    @Test
    void aDatabaseWithABadPragmaFailsToOpenAndAMemoryDatabaseStillFallsBackToOneConnection() {
        assertThatThrownBy(() -> Database.open(DatabaseOptions.builder(dir.resolve("d.db").toString())
                .pragma("journal_mode", "BANANA").build()).join())
                .cause().hasMessageContaining("PRAGMA journal_mode = BANANA: SQLite answered");
        try (Database db = Database.open(":memory:").join()) {
            assertThat(db.isWal()).isFalse();
            db.execute("CREATE TABLE t(x)").join();
            assertThat(db.fetchOne("PRAGMA foreign_keys").join().getLong(0)).isEqualTo(1);
        }
        try (Database db = Database.open(dir.resolve("wal.db").toString()).join()) {
            assertThat(db.isWal()).isTrue();
        }
    }
}
