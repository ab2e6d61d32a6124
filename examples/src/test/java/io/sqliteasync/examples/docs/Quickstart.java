package io.sqliteasync.examples.docs;

// snippet:readme-quickstart
import io.sqliteasync.*;
import java.util.List;
// end-snippet
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

/** README.md: Quickstart, and the blocking view. */
final class Quickstart {
    private Quickstart() {
    }

    @Snippet("readme-quickstart")
    static void quickstart() throws Exception {
        RowPrinter mySubscriber = new RowPrinter();
        // snippet:readme-quickstart
        try (AsyncConnection db = AsyncConnection.open("app.db").join()) {
            // Each call returns a CompletableFuture at once; SQLite runs on the connection's worker thread.
            db.execute("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER)").join();

            ExecuteResult r = db.execute("INSERT INTO users (name, age) VALUES (?, ?)", "Alice", 30).join();
            System.out.println("new id " + r.lastInsertRowid());

            // Many rows in one command, all or nothing.
            db.executeMany("INSERT INTO users (name, age) VALUES (?, ?)",
                    List.of(new Object[] {"Bob", 24}, new Object[] {"Carol", 41})).join();

            // Rows by name (case-insensitive) or index.
            db.fetchAll("SELECT id, name, age FROM users WHERE age > ?", 25)
              .thenAccept(rows -> rows.forEach(row -> System.out.println(row.getString("name") + " " + row.getInt("AGE"))))
              .join();

            // A stream that steps only on demand, 64 rows per round trip by default.
            db.stream("SELECT name FROM users ORDER BY id").subscribe(mySubscriber);   // any Flow.Subscriber<Row>

            // A transaction has the connection to itself: other callers' calls wait until it commits or rolls back.
            db.transaction(tx -> tx.fetchOne("SELECT count(*) FROM users")
                    .thenCompose(n -> tx.execute("INSERT INTO users (name, age) VALUES (?, ?)", "User " + n.getLong(0), 20)))
              .join();                                     // commits when the stage completes, rolls back when it fails
        }   // close() waits for queued commands, then stops the worker thread
        // end-snippet
        assertEquals(3, mySubscriber.done.get(10, TimeUnit.SECONDS));
        try (AsyncConnection db = AsyncConnection.open("app.db").join()) {
            assertEquals(4, db.fetchOne("SELECT count(*) FROM users").join().getLong(0));
        }
    }

    @Snippet("readme-blocking")
    static void blocking() {
        try (AsyncConnection db = AsyncConnection.open("app.db").join()) {
            db.executeScript("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);"
                    + " INSERT INTO users (name, age) VALUES ('Alice', 30), ('Bob', 24)").join();
        }
        // snippet:readme-blocking
        try (AsyncConnection db = AsyncConnection.open("app.db").join()) {
            BlockingConnection b = db.blocking();        // for virtual threads or plain blocking code
            long n = b.fetchOne("SELECT count(*) FROM users").getLong(0);
            System.out.println(n + " users");
            try (var rows = b.stream("SELECT * FROM users")) {      // lazy, fetched in prefetch batches
                rows.forEach(System.out::println);
            }
        }
        // end-snippet
    }
}
