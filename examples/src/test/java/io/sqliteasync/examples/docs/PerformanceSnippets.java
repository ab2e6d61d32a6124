package io.sqliteasync.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.ExecuteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** docs/performance.md: group commit. */
final class PerformanceSnippets {
    private PerformanceSnippets() {
    }

    @Snippet("perf-group-commit")
    static void groupCommit() {
        // snippet:perf-group-commit
        DatabaseOptions options = DatabaseOptions.builder("events.db")
                .synchronous("FULL")
                .groupCommit(true)              // off by default
                .groupCommitMaxBatch(64)        // the default
                .build();
        try (Database db = Database.open(options).join()) {
            db.execute("CREATE TABLE events(id INTEGER PRIMARY KEY, body TEXT)").join();
            List<CompletableFuture<ExecuteResult>> writes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                // Writes queued while the writer is busy share one COMMIT; each future completes once it is durable.
                writes.add(db.execute("INSERT INTO events(body) VALUES (?)", "event " + i));
            }
            CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();
            System.out.println(db.fetchOne("SELECT count(*) FROM events").join().getLong(0));   // 100
        }
        // end-snippet
        try (Database db = Database.open("events.db").join()) {
            assertEquals(100L, db.fetchOne("SELECT count(*) FROM events").join().getLong(0));
        }
    }
}
