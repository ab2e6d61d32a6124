package io.sqliteasync.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.BackupOptions;
import io.sqliteasync.BackupProgress;
import io.sqliteasync.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** docs/operations.md and the README's Operations table: backup, restore, VACUUM INTO, serialize/deserialize. */
final class BackupSnippets {
    private BackupSnippets() {
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("sqlite-async-docs-backup");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fill(AsyncConnection db) {
        db.execute("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, x)").join();
        db.execute("INSERT INTO t(x) SELECT randomblob(500) FROM (WITH RECURSIVE c(i) AS"
                + " (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 500) SELECT i FROM c)").join();
    }

    @Snippet("ops-backup")
    static void backup() {
        Path dir = tempDir();
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("app.db").toString()).join()) {
            fill(db);
            // snippet:ops-backup
            BackupOptions options = BackupOptions.builder()
                    .pagesPerStep(64)                           // pages copied per step
                    .pause(Duration.ofMillis(1))                // between steps, queued calls run
                    .listener(p -> System.out.printf("%d/%d pages%n", p.pagesCopied(), p.pageCount()))
                    .build();
            CompletableFuture<BackupProgress> backup = db.backup(dir.resolve("app-backup.db"), options);
            db.fetchOne("SELECT count(*) FROM t").join();      // need not wait for the whole backup
            BackupProgress done = backup.join();                // the file appears only once complete
            // end-snippet
            assertTrue(done.done());
            assertTrue(Files.exists(dir.resolve("app-backup.db")));
        }
        deleteTree(dir);
    }

    @Snippet("ops-backup-database")
    static void backupDatabase() {
        Path dir = tempDir();
        try (Database db = Database.open(dir.resolve("app.db").toString()).join()) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, x)").join();
            // snippet:ops-backup-database
            CompletableFuture<BackupProgress> backup = db.backup(dir.resolve("nightly.db"));  // from a reader
            db.execute("INSERT INTO t(x) VALUES (?)", "the writer keeps writing").join();
            backup.join();
            // end-snippet
        }
        try (AsyncConnection copy = AsyncConnection.open(dir.resolve("nightly.db").toString()).join()) {
            assertEquals("ok", copy.fetchOne("PRAGMA integrity_check").join().getString(0));
        }
        deleteTree(dir);
    }

    @Snippet("ops-backup-cancel")
    static void cancel() {
        Path dir = tempDir();
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("app.db").toString()).join()) {
            fill(db);
            AtomicInteger steps = new AtomicInteger();
            CompletableFuture<Void> started = new CompletableFuture<>();
            BackupOptions options = BackupOptions.builder().pagesPerStep(1).listener(p -> {
                steps.incrementAndGet();
                started.complete(null);
            }).build();
            // snippet:ops-backup-cancel
            CompletableFuture<BackupProgress> backup = db.backup(dir.resolve("partial.db"), options);
            started.join();
            backup.cancel(false);              // stops after the current step; no file is left
            // end-snippet
            db.fetchOne("SELECT 1").join();
            assertTrue(!Files.exists(dir.resolve("partial.db")));
        }
        deleteTree(dir);
    }

    @Snippet("ops-restore")
    static void restore() {
        Path dir = tempDir();
        Path backupFile = dir.resolve("app-backup.db");
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("app.db").toString()).join()) {
            fill(db);
            db.backup(backupFile).join();
        }
        // snippet:ops-restore
        try (AsyncConnection db = AsyncConnection.open(":memory:").join()) {
            db.restore(backupFile).join();                 // replaces the whole content, atomically
            System.out.println(db.fetchOne("SELECT count(*) FROM t").join().getLong(0));  // 500
        }
        // end-snippet
        deleteTree(dir);
    }

    @Snippet("ops-vacuum-into")
    static void vacuumInto() {
        Path dir = tempDir();
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("app.db").toString()).join()) {
            fill(db);
            // snippet:ops-vacuum-into
            db.vacuumInto(dir.resolve("compact.db")).join();   // VACUUM INTO ?, the path bound; refuses an existing file
            // end-snippet
            assertTrue(Files.exists(dir.resolve("compact.db")));
        }
        deleteTree(dir);
    }

    @Snippet("ops-serialize")
    static void serialize() {
        Path dir = tempDir();
        try (AsyncConnection db = AsyncConnection.open(dir.resolve("app.db").toString()).join()) {
            fill(db);
            // snippet:ops-serialize
            byte[] image = db.serialize().join();              // the database file's bytes
            try (AsyncConnection fixture = AsyncConnection.open(":memory:").join()) {
                fixture.deserialize(image).join();             // an in-memory copy, writable
                fixture.execute("DELETE FROM t").join();       // the original is untouched
            }
            // end-snippet
            assertEquals(500, db.fetchOne("SELECT count(*) FROM t").join().getLong(0));
        }
        deleteTree(dir);
    }
}
