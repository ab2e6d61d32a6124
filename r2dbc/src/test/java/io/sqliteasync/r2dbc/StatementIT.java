package io.sqliteasync.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.sqliteasync.DatabaseOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** How statement text is classified and rewritten. */
class StatementIT {
    static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    SqliteConnectionFactory factory;
    SqliteConnection c;

    @BeforeEach
    void open() {
        factory = SqliteConnectionFactory.of(DatabaseOptions.builder(dir.resolve("st.db").toString()).build());
        c = factory.create().block(T);
        Flux.from(c.createStatement("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)").execute())
                .flatMap(Result::getRowsUpdated).blockLast(T);
    }

    @AfterEach
    void close() {
        c.close().block(T);
        factory.close();
    }

    @Test
    void aQueryWithACteCallingReplaceReturnsItsRows() {
        // replace() is a function here, not REPLACE INTO: the statement is a query and must yield its rows.
        StepVerifier.create(Flux.from(c.createStatement("WITH x AS (SELECT 'abc' AS v) SELECT replace(v, 'b', '-')"
                + " FROM x").execute()).flatMap(r -> r.map((row, md) -> row.get(0, String.class))))
                .expectNext("a-c").verifyComplete();
    }

    @Test
    void generatedValuesComeBackAfterATrailingLineComment() {
        StepVerifier.create(Flux.from(c.createStatement("INSERT INTO person (name) VALUES (?) -- a person")
                .bind(0, "Ada").returnGeneratedValues("id").execute())
                .flatMap(r -> r.map((row, md) -> row.get("id", Long.class))))
                .expectNext(1L).verifyComplete();
    }
}
