package io.sqliteasync.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Wrapped;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.r2dbc.SqliteConnectionFactory;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** README.md's R2DBC section and docs/r2dbc.md. Relative URLs put app.db in the working directory. */
final class R2dbcSnippets {
    private R2dbcSnippets() {
    }

    private static void schema() {
        try (Database db = Database.open("app.db").join()) {
            db.executeScript("""
                    CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);
                    INSERT INTO person (name, age) VALUES ('Grace', 45), ('Linus', 28);
                    CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
                    INSERT INTO account VALUES (1, 500), (2, 500);
                    """).join();
        }
    }

    /** Closes a factory from ConnectionFactories.get: a pool first, then the SQLite factory it wraps. */
    private static void close(ConnectionFactory cf) throws Exception {
        if (cf instanceof ConnectionPool pool) {
            Object inner = pool.unwrap();
            pool.disposeLater().block();
            if (inner instanceof ConnectionFactory f) {
                close(f);
            }
        } else if (cf instanceof Wrapped<?> w && w.unwrap() instanceof ConnectionFactory f && f != cf) {
            close(f);
        } else if (cf instanceof AutoCloseable c) {
            c.close();
        }
    }

    @Snippet("readme-r2dbc-pool")
    static void readmePool() throws Exception {
        schema();
        // snippet:readme-r2dbc-pool
        ConnectionFactory cf = ConnectionFactories.get("r2dbc:pool:sqlite:///app.db?maxSize=8");  // app.db: relative
        Flux<String> names = Flux.usingWhen(cf.create(),
                c -> Flux.from(c.createStatement("SELECT name FROM person WHERE age > :age").bind("age", 30).execute())
                        .flatMap(r -> r.map((row, md) -> row.get("name", String.class))),
                Connection::close);
        // end-snippet
        try {
            assertEquals(List.of("Grace"), names.collectList().block(Duration.ofSeconds(30)));
        } finally {
            close(cf);
        }
    }

    @Snippet("readme-r2dbc-reactor")
    static void readmeReactor() throws Exception {
        schema();
        // snippet:readme-r2dbc-reactor
        ConnectionFactory cf = ConnectionFactories.get("r2dbc:sqlite:///app.db");
        Long inserted = Mono.usingWhen(cf.create(),
                c -> Mono.from(c.beginTransaction())
                        .then(Mono.from(c.createStatement("INSERT INTO person(name, age) VALUES (?, ?)")
                                .bind(0, "Ada").bind(1, 36).execute()))
                        .flatMap(r -> Mono.from(r.getRowsUpdated()))
                        .flatMap(n -> Mono.from(c.commitTransaction()).thenReturn(n)),
                Connection::close)
            .block();
        // end-snippet
        try {
            assertEquals(1L, inserted);
        } finally {
            close(cf);
        }
    }

    @Snippet("r2dbc-factory")
    static void factory() throws Exception {
        // snippet:r2dbc-factory
        SqliteConnectionFactory factory = SqliteConnectionFactory.of(
                DatabaseOptions.builder("app.db").readers(4).busyTimeout(Duration.ofSeconds(2)).build());
        // end-snippet
        try (factory) {
            Integer one = Mono.usingWhen(factory.create(),
                    c -> Mono.from(c.createStatement("SELECT 1 AS one").execute())
                            .flatMap(r -> Mono.from(r.map((row, md) -> row.get("one", Integer.class)))),
                    Connection::close).block();
            assertEquals(1, one);
            assertEquals(4, factory.database().join().readerCount());
        }
    }

    @Snippet("r2dbc-reactor")
    static void reactor() throws Exception {
        schema();
        // snippet:r2dbc-reactor
        ConnectionFactory factory = ConnectionFactories.get("r2dbc:sqlite:///app.db");

        Flux<String> names = Flux.usingWhen(factory.create(),
                c -> Flux.from(c.createStatement("SELECT name FROM person WHERE age > :age").bind("age", 30).execute())
                        .flatMap(r -> r.map((row, md) -> row.get("name", String.class))),
                Connection::close);

        Mono<Void> transfer = Mono.usingWhen(factory.create(),
                c -> Mono.from(c.beginTransaction())
                        .thenMany(c.createStatement("UPDATE account SET balance = balance - ?1 WHERE id = ?2")
                                .bind(0, 100).bind(1, 1).execute())
                        .flatMap(Result::getRowsUpdated)
                        .thenMany(c.createStatement("UPDATE account SET balance = balance + ?1 WHERE id = ?2")
                                .bind(0, 100).bind(1, 2).execute())
                        .flatMap(Result::getRowsUpdated)
                        .then(Mono.from(c.commitTransaction())),
                Connection::close);

        Flux<Long> ids = Flux.usingWhen(factory.create(),
                c -> Flux.from(c.createStatement("INSERT INTO person (name) VALUES (?)").bind(0, "Ada")
                                .returnGeneratedValues("id").execute())
                        .flatMap(r -> r.map((row, md) -> row.get("id", Long.class))),
                Connection::close);
        // end-snippet
        try {
            assertEquals(List.of("Grace"), names.collectList().block(Duration.ofSeconds(30)));
            transfer.block(Duration.ofSeconds(30));
            assertEquals(List.of(3L), ids.collectList().block(Duration.ofSeconds(30)));
            List<Long> balances = Flux.usingWhen(factory.create(),
                    c -> Flux.from(c.createStatement("SELECT balance FROM account ORDER BY id").execute())
                            .flatMap(r -> r.map((row, md) -> row.get(0, Long.class))),
                    Connection::close).collectList().block(Duration.ofSeconds(30));
            assertEquals(List.of(400L, 600L), balances);
        } finally {
            close(factory);
        }
    }

    @Snippet("r2dbc-pool")
    static void pool() throws Exception {
        schema();
        // snippet:r2dbc-pool
        ConnectionFactory pooled = ConnectionFactories.get("r2dbc:pool:sqlite:///app.db?maxSize=8");
        // or
        ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration
                .builder(SqliteConnectionFactory.of("app.db"))
                .maxSize(8)
                .validationQuery("SELECT 1")
                .build());
        // end-snippet
        try {
            for (ConnectionFactory cf : List.of(pooled, pool)) {
                Long n = Mono.usingWhen(cf.create(),
                        c -> Mono.from(c.createStatement("SELECT count(*) FROM person").execute())
                                .flatMap(r -> Mono.from(r.map((row, md) -> row.get(0, Long.class)))),
                        Connection::close).block(Duration.ofSeconds(30));
                assertEquals(2L, n);
            }
        } finally {
            close(pooled);
            close(pool);
        }
    }
}
