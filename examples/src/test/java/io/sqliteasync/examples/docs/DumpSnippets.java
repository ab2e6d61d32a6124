package io.sqliteasync.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sqliteasync.Database;
import io.sqliteasync.DumpOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/** docs/operations.md, section Dump: the database as SQL text, and back. */
final class DumpSnippets {
    private DumpSnippets() {
    }

    @Snippet({"dump-file", "dump-restore"})
    static void fileAndBack() throws IOException {
        try (Database db = Database.open("notes.db").join()) {
            db.executeScript("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);"
                    + " INSERT INTO notes(body) VALUES ('first'), ('line one' || char(10) || 'line two');"
                    + " CREATE INDEX notes_body ON notes(body)").join();
            // snippet:dump-file
            try (BufferedWriter out = Files.newBufferedWriter(Path.of("notes.sql"))) {
                db.blocking().dump(statement -> {                 // each statement on this thread, in order
                    try {
                        out.write(statement);                     // one complete statement, ending with ';'
                        out.newLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);        // stops the dump, rethrown by dump(...)
                    }
                });
            }
            // end-snippet
        }
        // snippet:dump-restore
        try (Database copy = Database.open("notes-copy.db").join()) {
            copy.executeScript(Files.readString(Path.of("notes.sql"))).join();   // into an empty database
            copy.execute("PRAGMA foreign_keys=ON").join();   // the script turned it off, as sqlite3's does
        }
        // end-snippet
        try (Database copy = Database.open("notes-copy.db").join()) {
            assertEquals("line one\nline two",
                    copy.fetchOne("SELECT body FROM notes WHERE id = 2").join().getString(0));
            assertEquals(1L, copy.fetchOne("SELECT count(*) FROM sqlite_schema WHERE name = 'notes_body'").join()
                    .getLong(0));
        }
    }

    @Snippet("dump-stream")
    static void stream() {
        try (Database db = Database.open("shop.db").join()) {
            db.executeScript("CREATE TABLE orders(id INTEGER PRIMARY KEY, total REAL);"
                    + " CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);"
                    + " INSERT INTO orders(total) VALUES (9.99), (-0.0)").join();
            // snippet:dump-stream
            List<String> statements = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            DumpOptions options = DumpOptions.builder().tables(name -> name.startsWith("orders")).build();
            db.dump(options).subscribe(new Flow.Subscriber<String>() {
                private Flow.Subscription subscription;

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription = s;
                    s.request(1);                   // the snapshot opens on the first request
                }

                @Override
                public void onNext(String statement) {  // on a reader's worker thread: do not block here
                    statements.add(statement);
                    subscription.request(1);
                }

                @Override
                public void onError(Throwable t) {  // the reader is back by now
                    done.completeExceptionally(t);
                }

                @Override
                public void onComplete() {          // the reader is back by now
                    done.complete(null);
                }
            });
            done.join();
            // end-snippet
            assertTrue(statements.contains("INSERT INTO \"orders\" VALUES(1,9.99);"));
            assertTrue(statements.stream().noneMatch(s -> s.contains("users")));
        }
    }
}
