package io.sqliteasync.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.SqliteException;
import io.sqliteasync.dqlite.DqliteClientOptions;
import io.sqliteasync.dqlite.DqliteUnknownOutcomeException;
import io.sqliteasync.dqlite.DqliteUrl;
import io.sqliteasync.dqlite.SharedCluster;
import io.sqliteasync.r2dbc.DqliteOptions;
import io.sqliteasync.r2dbc.SqliteConnectionFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import reactor.core.publisher.Flux;

/**
 * docs/dqlite.md, the README's dqlite section and docs/r2dbc.md's dqlite section: a Database and the R2DBC driver
 * over a dqlite cluster, run on the test cluster.
 */
final class DqliteSnippets {
    private DqliteSnippets() {
    }

    private static String nodes() {
        try {
            return SharedCluster.nodes();
        } catch (Exception e) {
            throw new IllegalStateException("the dqlite test cluster did not start", e);
        }
    }

    @Snippet("dqlite-open")
    static void open() {
        String nodes = nodes();
        // snippet:dqlite-open
        // nodes = "10.0.0.1:9001,10.0.0.2:9001,10.0.0.3:9001": one reachable member is enough
        try (Database db = Database.open("dqlite://" + nodes + "/app").join()) {
            db.executeScript("CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, text TEXT)").join();
            db.execute("INSERT INTO note(text) VALUES (?)", "replicated").join();
            long n = db.fetchOne("SELECT count(*) FROM note").join().getLong(0);
        }
        // end-snippet
        try (Database db = Database.open("dqlite://" + nodes + "/app").join()) {
            assertTrue(db.fetchOne("SELECT count(*) FROM note").join().getLong(0) >= 1);
        }
    }

    @Snippet("dqlite-options")
    static void options() {
        List<String> seeds = Arrays.asList(nodes().split(","));
        // snippet:dqlite-options
        DqliteUrl url = new DqliteUrl(seeds, "app", DqliteClientOptions.builder()
                .failoverTimeout(Duration.ofSeconds(10))   // longest pause while a leader is elected
                .readTimeout(Duration.ofSeconds(30))
                .build());
        // url.toString(): dqlite://10.0.0.1:9001,.../app?failoverTimeout=10000ms
        try (Database db = Database.open(DatabaseOptions.builder(url.toString()).readers(4).build()).join()) {
            db.fetchOne("SELECT 1").join();
        }
        // end-snippet
        assertEquals(url, DqliteUrl.parse(url.toString()));
    }

    @Snippet("dqlite-unknown")
    static void unknownOutcome() {
        try (Database db = Database.open("dqlite://" + nodes() + "/app").join()) {
            db.executeScript("CREATE TABLE IF NOT EXISTS payment (ref TEXT PRIMARY KEY, amount INTEGER)").join();
            String ref = "p-" + System.nanoTime();
            long amount = 10;
            // snippet:dqlite-unknown
            try {
                db.execute("INSERT INTO payment(ref, amount) VALUES (?, ?)", ref, amount).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof DqliteUnknownOutcomeException) {
                    // Sent, then the leader died before answering: committed or not. Look, then decide.
                    boolean committed = db.fetchOptional("SELECT 1 FROM payment WHERE ref = ?", ref).join()
                            .isPresent();
                } else {
                    throw e;
                }
            }
            // end-snippet
            assertTrue(db.fetchOptional("SELECT 1 FROM payment WHERE ref = ?", ref).join().isPresent());
        }
    }

    @Snippet("dqlite-capability")
    static void capability() {
        try (Database db = Database.open("dqlite://" + nodes() + "/app").join()) {
            // snippet:dqlite-capability
            CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    () -> db.createFunction("twice", 1, args -> (Long) args[0] * 2).join());
            // SqliteException: createFunction needs the engine capability USER_FUNCTIONS, which the dqlite
            // engine does not have
            // end-snippet
            assertTrue(e.getCause() instanceof SqliteException);
            assertTrue(e.getCause().getMessage().contains("USER_FUNCTIONS"));
        }
    }

    @Snippet("r2dbc-dqlite-url")
    static void r2dbcUrl() {
        String nodes = nodes();
        try (Database db = Database.open("dqlite://" + nodes + "/app").join()) {
            db.executeScript("CREATE TABLE IF NOT EXISTS person (id INTEGER PRIMARY KEY, name TEXT, age INTEGER);"
                    + " INSERT INTO person (name, age) VALUES ('Grace', 45)").join();
        }
        // snippet:r2dbc-dqlite-url
        // nodes = "10.0.0.1:9001,10.0.0.2:9001,10.0.0.3:9001"
        ConnectionFactory factory = ConnectionFactories.get(
                "r2dbc:dqlite://" + nodes + "/app?readers=4&failoverTimeout=10s");
        Flux<String> names = Flux.usingWhen(factory.create(),
                c -> Flux.from(c.createStatement("SELECT name FROM person WHERE age > :age").bind("age", 30).execute())
                        .flatMap(r -> r.map((row, md) -> row.get("name", String.class))),
                Connection::close);
        // end-snippet
        try {
            assertTrue(names.collectList().block().contains("Grace"));
        } finally {
            ((SqliteConnectionFactory) factory).close();
        }
    }

    @Snippet("r2dbc-dqlite-options")
    static void r2dbcOptions() {
        List<String> seeds = Arrays.asList(nodes().split(","));
        String host = seeds.get(0).substring(0, seeds.get(0).lastIndexOf(':'));
        int port = Integer.parseInt(seeds.get(0).substring(seeds.get(0).lastIndexOf(':') + 1));
        List<String> others = seeds.subList(1, seeds.size());
        // snippet:r2dbc-dqlite-options
        ConnectionFactory factory = ConnectionFactories.get(ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, "dqlite")
                .option(ConnectionFactoryOptions.HOST, host)                 // "10.0.0.1"
                .option(ConnectionFactoryOptions.PORT, port)                 // 9001
                .option(ConnectionFactoryOptions.DATABASE, "app")
                .option(DqliteOptions.NODES, others)                         // ["10.0.0.2:9001", "10.0.0.3:9001"]
                .option(DqliteOptions.FAILOVER_TIMEOUT, Duration.ofSeconds(10))
                .build());
        // end-snippet
        try {
            assertEquals("dqlite://" + String.join(",", seeds) + "/app?failoverTimeout=10000ms",
                    ((SqliteConnectionFactory) factory).options().path());
            Object one = Flux.usingWhen(factory.create(),
                    c -> Flux.from(c.createStatement("SELECT 1").execute()).flatMap(r -> r.map((row, md) -> row.get(0))),
                    Connection::close).blockFirst();
            assertEquals(1L, one);
        } finally {
            ((SqliteConnectionFactory) factory).close();
        }
    }
}
