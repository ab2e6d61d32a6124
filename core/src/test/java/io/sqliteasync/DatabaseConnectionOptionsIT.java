package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@link Database} opens every connection from the {@link ConnectionOptions} its options hold. */
class DatabaseConnectionOptionsIT {
    @TempDir
    Path dir;

    @Test
    void everyConnectionUsesTheHeldSettingsAfterTheDatabasesOwnPragmas() {
        ConnectionOptions prepared = ConnectionOptions.builder("ignored.db")
                .workerThreadName("orders-db")
                .pragma("cache_size", "-123")
                .busyTimeout(Duration.ofMillis(2500))
                .prefetch(2)
                .build();
        DatabaseOptions options = DatabaseOptions.builder(dir.resolve("c.db").toString()).readers(2)
                .connection(prepared).build();
        try (Database db = Database.open(options).join()) {
            assertThat(db.isWal()).isTrue();
            Set<String> threads = new HashSet<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("orders-db-")) {
                    threads.add(t.getName());
                }
            }
            assertThat(threads).contains("orders-db-writer", "orders-db-reader-1", "orders-db-reader-2");
            // The user's cache_size runs after the database's own -8000; foreign_keys is the database's.
            assertThat(db.fetchOne("PRAGMA cache_size").join().getLong(0)).isEqualTo(-123);
            assertThat(db.fetchOne("PRAGMA foreign_keys").join().getLong(0)).isEqualTo(1);
            assertThat(db.fetchOne("PRAGMA busy_timeout").join().getLong(0)).isEqualTo(2500);
            assertThat(db.transaction(tx -> tx.fetchOne("PRAGMA cache_size")).join().getLong(0)).isEqualTo(-123);
            assertThat(db.options().connection().path()).isEqualTo(options.path());
        }
    }
}
