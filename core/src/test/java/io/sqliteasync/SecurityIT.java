package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The security defaults: an untrusted schema, and no extension loading unless asked for. */
class SecurityIT {
    @TempDir
    Path dir;

    /** Counts the calls of the side-effecting function {@code side_effect()}. */
    final AtomicInteger sideEffects = new AtomicInteger();

    /** Makes a database whose view calls the user function {@code side_effect()}, and closes it. */
    String databaseWithAViewCallingAUserFunction() {
        String path = dir.resolve("schema.db").toString();
        try (AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(path).trustedSchema(true).build())
                .join()) {
            c.createFunction("side_effect", 0, args -> sideEffects.incrementAndGet()).join();
            c.execute("CREATE VIEW v AS SELECT side_effect() AS x").join();
        }
        sideEffects.set(0);
        return path;
    }

    static Throwable cause(Throwable t) {
        return t instanceof CompletionException ? t.getCause() : t;
    }

    @Test
    void viewCallingAUserFunctionIsRefusedByDefault() {
        String path = databaseWithAViewCallingAUserFunction();
        try (AsyncConnection c = AsyncConnection.open(path).join()) {
            c.createFunction("side_effect", 0, args -> sideEffects.incrementAndGet()).join();

            Throwable t = cause(catchThrowable(() -> c.fetchOne("SELECT x FROM v").join()));

            assertThat(t).isInstanceOf(SqliteException.class).hasMessageContaining("unsafe use of side_effect()");
            assertThat(sideEffects.get()).isZero();
            assertThat(c.fetchOne("PRAGMA trusted_schema").join().getLong(0)).isZero();
            // Called directly, the function still runs.
            assertThat(c.fetchOne("SELECT side_effect()").join().getLong(0)).isEqualTo(1);
        }
    }

    @Test
    void viewCallingAUserFunctionRunsWithTrustedSchema() {
        String path = databaseWithAViewCallingAUserFunction();
        try (AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(path).trustedSchema(true).build())
                .join()) {
            c.createFunction("side_effect", 0, args -> sideEffects.incrementAndGet()).join();

            assertThat(c.fetchOne("SELECT x FROM v").join().getLong(0)).isEqualTo(1);
            assertThat(sideEffects.get()).isEqualTo(1);
        }
    }

    @Test
    void databaseConnectionsDoNotTrustTheSchemaByDefault() {
        String path = databaseWithAViewCallingAUserFunction();
        try (Database d = Database.open(DatabaseOptions.builder(path).readers(2).build()).join()) {
            d.createFunction("side_effect", 0, args -> sideEffects.incrementAndGet()).join();

            assertThat(cause(catchThrowable(() -> d.fetchOne("SELECT x FROM v").join())))
                    .hasMessageContaining("unsafe use of side_effect()");
            assertThat(cause(catchThrowable(() -> d.execute("CREATE TABLE w AS SELECT x FROM v").join())))
                    .hasMessageContaining("unsafe use of side_effect()");
        }
        try (Database d = Database.open(DatabaseOptions.builder(path).readers(2).trustedSchema(true).build()).join()) {
            d.createFunction("side_effect", 0, args -> sideEffects.incrementAndGet()).join();

            assertThat(d.fetchOne("SELECT x FROM v").join().getLong(0)).isEqualTo(1);
        }
    }

    @Test
    void loadExtensionIsNotAuthorizedByDefault() {
        try (AsyncConnection c = AsyncConnection.open(dir.resolve("x.db").toString()).join()) {
            Throwable t = cause(catchThrowable(() -> c.fetchOne("SELECT load_extension('x')").join()));

            assertThat(t).isInstanceOf(SqliteException.class).hasMessageContaining("not authorized");
        }
    }

    @Test
    void extensionLoadsWhenAllowed() throws Exception {
        Path library = compileExtension();
        String path = dir.resolve("x.db").toString();
        try (AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(path).allowLoadExtension(true)
                .build()).join()) {
            c.fetchOne("SELECT load_extension(?)", library.toString()).join();

            assertThat(c.fetchOne("SELECT answer()").join().getLong(0)).isEqualTo(42);
        }
        try (Database d = Database.open(DatabaseOptions.builder(path).readers(2).allowLoadExtension(true).build())
                .join()) {
            d.blocking().fetchOne("SELECT load_extension(?)", library.toString());
            assertThat(d.blocking().fetchOne("SELECT answer()").getLong(0)).isEqualTo(42);
        }
    }

    /** Builds, with gcc, an extension adding {@code answer()}, which returns 42. */
    Path compileExtension() throws IOException, InterruptedException {
        if (!Files.exists(Path.of("/usr/include/sqlite3ext.h"))) {
            fail("/usr/include/sqlite3ext.h is missing: install libsqlite3-dev (Debian/Ubuntu:"
                    + " sudo apt-get install libsqlite3-dev), which .ci/run does when needed");
        }
        Path source = dir.resolve("answer.c");
        Files.writeString(source, String.join("\n",
                "#include <sqlite3ext.h>",
                "SQLITE_EXTENSION_INIT1",
                "static void answer(sqlite3_context *c, int n, sqlite3_value **v) { sqlite3_result_int(c, 42); }",
                "int sqlite3_extension_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {",
                "  SQLITE_EXTENSION_INIT2(api);",
                "  return sqlite3_create_function(db, \"answer\", 0, SQLITE_UTF8, 0, answer, 0, 0);",
                "}", ""));
        Path library = dir.resolve("answer.so");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", library.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("gcc is needed to build the test extension: install gcc", e);
        }
        String output = new String(gcc.getInputStream().readAllBytes());
        assertThat(gcc.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(gcc.exitValue()).as("gcc failed: %s", output).isZero();
        return library;
    }
}
