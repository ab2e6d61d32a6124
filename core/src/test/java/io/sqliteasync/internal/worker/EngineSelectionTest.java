package io.sqliteasync.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.sqlitejdbc.SqliteJdbcEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which engine a location selects: URL schemes go to a provider, everything else to sqlite-jdbc without a lookup. */
class EngineSelectionTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "app.db | null",
        "/tmp/app.db | null",
        ":memory: | null",
        "file:app.db?mode=ro | null",
        "file:///tmp/app.db | null",
        "FILE:///tmp/app.db | null",
        "C:\\data\\app.db | null",
        "./dir://odd | null",
        "dqlite://127.0.0.1:9001/app | dqlite",
        "DQLITE://127.0.0.1:9001/app | dqlite",
        "jdbc:dqlite://127.0.0.1:9001,127.0.0.1:9002/app | dqlite",
        "other+x://host/db | other+x"})
    void theSchemeOfALocationIsReadOnlyFromAUrl(String location, String scheme) {
        assertThat(EngineSelection.scheme(location)).isEqualTo(scheme);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.db", ":memory:", "file:app.db?mode=memory"})
    void pathsAndFileUrisUseSqliteJdbc(String location) {
        assertThat(EngineSelection.forLocation(location)).isSameAs(SqliteJdbcEngine.INSTANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dqlite://127.0.0.1:9001/app", "jdbc:dqlite://127.0.0.1:9001/app"})
    void aDqliteUrlWithoutTheDqliteModuleNamesTheArtifactToAdd(String location) {
        // core's own tests run without sqlite-async-dqlite on the class path.
        assertThatThrownBy(() -> EngineSelection.forLocation(location))
                .isInstanceOf(SqliteException.class)
                .hasMessageContaining("'dqlite://'")
                .hasMessageContaining("io.sqliteasync:sqlite-async-dqlite")
                .satisfies(e -> assertThat(((SqliteException) e).resultCode()).isEqualTo(SqliteException.SQLITE_CANTOPEN));
    }

    @org.junit.jupiter.api.Test
    void openingADqliteUrlWithoutTheModuleFailsTheFutureNamingTheArtifact() {
        for (java.util.concurrent.CompletableFuture<?> f : java.util.List.of(
                io.sqliteasync.AsyncConnection.open("dqlite://127.0.0.1:9001/app"),
                io.sqliteasync.Database.open("dqlite://127.0.0.1:9001/app"))) {
            assertThatThrownBy(() -> f.get(60, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SqliteException.class)
                    .hasMessageContaining("io.sqliteasync:sqlite-async-dqlite");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres://localhost/db", "x-y://h/d"})
    void anUnknownSchemeSaysWhichOnesExist(String location) {
        assertThatThrownBy(() -> EngineSelection.forLocation(location))
                .isInstanceOf(SqliteException.class)
                .hasMessageContaining("no engine for")
                .hasMessageContaining("dqlite");
    }
}
