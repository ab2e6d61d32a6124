package io.sqliteasync.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.ContextPropagation;
import io.sqliteasync.Database;
import io.sqliteasync.Deadline;
import io.sqliteasync.Row;
import io.sqliteasync.Transaction;
import io.sqliteasync.SqliteConstraintException;
import io.sqliteasync.SqliteException;
import io.sqliteasync.SqliteTimeoutException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** README.md: options, Database, types, cancellation and callbacks, errors. */
final class ReadmeSnippets {
    private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

    private ReadmeSnippets() {
    }

    @Snippet("readme-options")
    static void options() {
        ExecutorService myEventLoop = Executors.newSingleThreadExecutor();
        try {
            // snippet:readme-options
            ConnectionOptions options = ConnectionOptions.builder("app.db")   // or ":memory:", or "file:app.db?mode=ro"
                    .pragma("journal_mode", "WAL")          // run in order on open
                    .pragma("foreign_keys", "ON")
                    .busyTimeout(Duration.ofSeconds(5))     // default 5 s
                    .prefetch(64)                           // rows per round trip for streams (default 64)
                    .statementCacheSize(64)                 // prepared statements kept, LRU (default 64)
                    .completionExecutor(myEventLoop)        // any Executor; default: complete on the worker thread
                    .readOnly(false).create(true)           // defaults: read-write, create a missing file
                    .progressSteps(10_000)                  // VM steps between cancellation/deadline checks (default 10,000)
                    .callbackTimeout(Duration.ofSeconds(30)) // wait for an async callback outside any deadline (default 30 s)
                    .shutdownDrainTimeout(Duration.ofSeconds(10)) // at JVM exit, wait for queued commands (default 10 s)
                    .build();
            AsyncConnection db = AsyncConnection.open(options).join();
            // end-snippet
            try (db) {
                String thread = db.fetchOne("PRAGMA journal_mode").thenApply(r -> Thread.currentThread().getName())
                        .join();
                assertEquals("wal", db.fetchOne("PRAGMA journal_mode").join().getString(0));
                assertTrue(!thread.startsWith("sqlite-async"), "completed on " + thread);
            }
        } finally {
            myEventLoop.shutdown();
        }
    }

    @Snippet("readme-database")
    static void database() {
        // snippet:readme-database
        try (Database db = Database.open("app.db").join()) {           // readers = cores (at least 2)
            // Several statements without parameters in one call (execute and the fetch methods take one statement).
            db.executeScript("""
                    CREATE TABLE IF NOT EXISTS accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
                    CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, msg TEXT NOT NULL);
                    INSERT OR IGNORE INTO accounts (id, balance) VALUES (1, 100), (2, 100);
                    """).join();

            // BEGIN IMMEDIATE on the writer; commits when the stage completes, rolls back when it fails or is cancelled.
            db.transaction(tx -> tx.execute("UPDATE accounts SET balance = balance - 10 WHERE id = ?", 1)
                    .thenCompose(r -> tx.execute("UPDATE accounts SET balance = balance + 10 WHERE id = ?", 2))
                    .thenCompose(r -> tx.transaction(inner ->              // nested: a SAVEPOINT
                            inner.execute("INSERT INTO audit(msg) VALUES ('transfer')"))))
              .join();

            // Or hold a transaction handle: it keeps the writer until commit(), rollback() or close().
            try (Transaction tx = db.begin().join()) {
                tx.execute("INSERT INTO audit(msg) VALUES (?)", "checked").join();
                tx.commit().join();
            }

            // A consistent snapshot on one reader.
            long total = db.read(snap -> snap.fetchOne("SELECT sum(balance) FROM accounts")
                    .thenApply(r -> r.getLong(0))).join();

            // Rows as records.
            record Account(long id, long balance) {}
            List<Account> all = db.fetchAll("SELECT id, balance FROM accounts", Account.class).join();
            System.out.println(total + " in " + all);
        }
        // end-snippet
        try (Database db = Database.open("app.db").join()) {
            assertEquals(90, db.fetchOne("SELECT balance FROM accounts WHERE id = 1").join().getLong(0));
            assertEquals(2, db.fetchOne("SELECT count(*) FROM audit").join().getLong(0));
        }
    }

    @Snippet("readme-types")
    static void types() {
        try (AsyncConnection db = AsyncConnection.open("app.db").join()) {
            // snippet:readme-types
            db.execute("CREATE TABLE events (id UUID PRIMARY KEY, at INSTANT NOT NULL, amount DECIMAL TEXT)").join();
            db.execute("INSERT INTO events(id, at, amount) VALUES (:id, :at, :amount)",
                    Map.of("id", UUID.randomUUID(), "at", Instant.now(), "amount", new BigDecimal("12.50"))).join();

            Row event = db.fetchOne("SELECT id, at, amount FROM events").join();
            UUID id = (UUID) event.get("id");                  // by the declared type
            Instant at = (Instant) event.get("at");
            BigDecimal amount = event.get("amount", BigDecimal.class);  // or on request
            // end-snippet
            assertEquals(new BigDecimal("12.50"), amount);
            assertTrue(id != null && at.isBefore(Instant.now().plusSeconds(1)));
        }
    }

    /** Stands in for an HTTP client in the README's callback example. */
    static final class GeoClient {
        CompletableFuture<String> lookupAsync(String address) {
            return CompletableFuture.supplyAsync(() -> address.startsWith("10.") ? "private" : "somewhere");
        }
    }

    @Snippet("readme-cancellation")
    static void cancellation() {
        GeoClient httpClient = new GeoClient();
        try (AsyncConnection db = AsyncConnection.open("app.db").join()) {
            try {
                // snippet:readme-cancellation
                String endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n";
                CompletableFuture<Row> slow = db.fetchOne(endless);
                slow.cancel(true);                                  // stops SQLite within milliseconds; the connection stays usable

                CompletableFuture<List<Row>> bounded =
                        Deadline.within(Duration.ofMillis(200), () -> db.fetchAll(endless));  // queue wait + execution + callbacks
                // bounded fails with SqliteTimeoutException after 200 ms, and SQLite stops

                // User functions may be synchronous or return a CompletionStage (the worker waits, bounded by the deadline,
                // or by callbackTimeout outside one). On a Database the function is registered on every connection.
                db.createFunction("geo", 1, args -> httpClient.lookupAsync((String) args[0])).join();

                ContextPropagation.register(TENANT);                // a ThreadLocal: its value (and Micrometer/MDC when present) reaches the worker
                // end-snippet
                assertThrows(CancellationException.class, slow::join);
                CompletionException timeout = assertThrows(CompletionException.class, bounded::join);
                assertInstanceOf(SqliteTimeoutException.class, timeout.getCause());
                assertEquals("private", db.fetchOne("SELECT geo('10.0.0.1')").join().getString(0));
                TENANT.set("acme");
                try {
                    db.createFunction("tenant", 0, args -> TENANT.get()).join();
                    assertEquals("acme", db.fetchOne("SELECT tenant()").join().getString(0));
                } finally {
                    TENANT.remove();
                }
            } finally {
                ContextPropagation.unregister(TENANT);
            }
        }
    }

    @Snippet("readme-errors")
    static void errors() {
        try (AsyncConnection db = AsyncConnection.open("app.db").join()) {
            db.executeScript("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
                    + " INSERT INTO users VALUES (1, 'Alice')").join();
            // snippet:readme-errors
            try {
                db.execute("INSERT INTO users (id, name) VALUES (1, 'Bob')").join();
            } catch (CompletionException e) {                    // join() wraps the failure (get(): ExecutionException)
                SqliteException cause = (SqliteException) e.getCause();
                System.out.println(cause.resultCode() + " " + cause.extendedResultCode() + " " + cause.getMessage());
            }

            try {
                db.blocking().execute("INSERT INTO users (id, name) VALUES (1, 'Bob')");
            } catch (SqliteConstraintException e) {             // the blocking view throws the SqliteException itself
                System.out.println(e.kind());                    // PRIMARY_KEY
            }
            // end-snippet
            SqliteConstraintException e = assertThrows(SqliteConstraintException.class,
                    () -> db.blocking().execute("INSERT INTO users (id, name) VALUES (1, 'Bob')"));
            assertEquals(SqliteConstraintException.Kind.PRIMARY_KEY, e.kind());
            assertEquals(SqliteException.SQLITE_CONSTRAINT, e.resultCode());
            Throwable direct = db.execute("INSERT INTO users (id, name) VALUES (1, 'Bob')").handle((r, t) -> t).join();
            assertInstanceOf(SqliteConstraintException.class, direct);
            Throwable chained = db.execute("SELECT 1").thenCompose(r -> db.execute("INSERT INTO users VALUES (1, 'B')"))
                    .handle((r, t) -> t).join();
            assertInstanceOf(CompletionException.class, chained);
            assertInstanceOf(SqliteConstraintException.class, chained.getCause());
        }
    }
}
