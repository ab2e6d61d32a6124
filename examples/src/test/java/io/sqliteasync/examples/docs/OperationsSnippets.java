package io.sqliteasync.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.Row;
import io.sqliteasync.SqliteException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/** docs/operations.md and the README's Operations section: interrupt, progress handler, facts, security. */
final class OperationsSnippets {
    private OperationsSnippets() {
    }

    @Snippet("ops-interrupt")
    static void interrupt() {
        String endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
        try (AsyncConnection db = AsyncConnection.open("app.db").join()) {
            // snippet:ops-interrupt
            CompletableFuture<Row> runaway = db.fetchOne(endless);       // runs until stopped
            CompletableFuture<Row> next = db.fetchOne("SELECT 1");       // queued behind it
            while (!db.interrupt()) {                                    // true once a call was running
                Thread.onSpinWait();
            }
            // runaway fails with SqliteException SQLITE_INTERRUPT; next still runs
            System.out.println(next.join().getLong(0));
            // end-snippet
            CompletionException e = assertThrows(CompletionException.class, runaway::join);
            assertEquals(SqliteException.SQLITE_INTERRUPT, ((SqliteException) e.getCause()).resultCode());
        }
    }

    @Snippet("ops-progress")
    static void progress() {
        try (AsyncConnection db = AsyncConnection.open("app.db").join()) {
            // snippet:ops-progress
            AtomicLong ticks = new AtomicLong();
            db.setProgressHandler(100_000, () -> ticks.incrementAndGet() > 1_000).join();  // true stops the statement
            db.setProgressHandler(0, null).join();                                        // removes it
            // end-snippet
        }
    }

    @Snippet("ops-facts")
    static void facts() {
        try (AsyncConnection db = AsyncConnection.open("app.db").join()) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, x)").join();
            // snippet:ops-facts
            db.execute("INSERT INTO t(x) VALUES (1), (2)").join();
            long changed = db.changes().join();              // 2: the last INSERT, UPDATE or DELETE
            long total = db.totalChanges().join();           // since the connection opened
            long rowid = db.lastInsertRowid().join();        // 2
            String version = db.sqliteVersion().join();      // "3.53.x", as sqlite_version()
            List<String> compiled = db.compileOptions().join(); // PRAGMA compile_options
            // end-snippet
            assertEquals(2, changed);
            assertEquals(2, total);
            assertEquals(2, rowid);
            assertTrue(version.startsWith("3."));
            assertTrue(compiled.contains("ENABLE_FTS5"));
        }
    }

    @Snippet("ops-security")
    static void security() {
        // snippet:ops-security
        ConnectionOptions options = ConnectionOptions.builder("app.db")
                .trustedSchema(false)       // default: PRAGMA trusted_schema=OFF on every connection
                .allowLoadExtension(false)  // default: SELECT load_extension(...) is "not authorized"
                .build();
        // end-snippet
        try (AsyncConnection db = AsyncConnection.open(options).join()) {
            assertEquals(0, db.fetchOne("PRAGMA trusted_schema").join().getLong(0));
        }
    }
}
