package io.sqliteasync.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.Result;
import io.sqliteasync.DatabaseOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/** Errors carry standard SQLSTATEs, so that frameworks classify them as they do other databases' errors. */
class SqlStateIT {
    static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    SqliteConnectionFactory factory;
    SqliteConnection c;

    @BeforeEach
    void open() {
        factory = SqliteConnectionFactory.of(DatabaseOptions.builder(dir.resolve("state.db").toString())
                .pragma("foreign_keys", "ON").build());
        c = factory.create().block(T);
        run("CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT NOT NULL,"
                + " qty INTEGER CHECK (qty >= 0))");
        run("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))");
        run("CREATE TABLE guarded (id INTEGER PRIMARY KEY)");
        run("CREATE TRIGGER no_insert BEFORE INSERT ON guarded BEGIN SELECT RAISE(ABORT, 'refused'); END");
        run("INSERT INTO parent (id, code, name, qty) VALUES (1, 'a', 'A', 1)");
    }

    @AfterEach
    void close() {
        c.close().block(T);
        factory.close();
    }

    private void run(String sql) {
        Flux.from(c.createStatement(sql).execute()).flatMap(Result::getRowsUpdated).blockLast(T);
    }

    private R2dbcException failure(String sql) {
        try {
            Flux.from(c.createStatement(sql).execute()).flatMap(r -> r.map((row, md) -> 1)).blockLast(T);
        } catch (R2dbcException e) {
            return e;
        }
        throw new AssertionError("no failure: " + sql);
    }

    @Test
    void aDuplicatePrimaryKeyIs23505WithSqlitesExtendedCode() {
        R2dbcException e = failure("INSERT INTO parent (id, code, name) VALUES (1, 'b', 'B')");
        assertThat(e).isInstanceOf(R2dbcDataIntegrityViolationException.class);
        assertThat(e.getSqlState()).isEqualTo("23505");
        assertThat(e.getErrorCode()).isEqualTo(1555);
    }

    @Test
    void aDuplicateUniqueValueIs23505() {
        R2dbcException e = failure("INSERT INTO parent (id, code, name) VALUES (2, 'a', 'B')");
        assertThat(e.getSqlState()).isEqualTo("23505");
        assertThat(e.getErrorCode()).isEqualTo(2067);
    }

    @Test
    void aMissingParentIs23503() {
        assertThat(failure("INSERT INTO child (parent_id) VALUES (99)").getSqlState()).isEqualTo("23503");
    }

    @Test
    void aNullInANotNullColumnIs23502() {
        assertThat(failure("INSERT INTO parent (id, code) VALUES (3, 'c')").getSqlState()).isEqualTo("23502");
    }

    @Test
    void aFailedCheckIs23514() {
        assertThat(failure("INSERT INTO parent (id, code, name, qty) VALUES (4, 'd', 'D', -1)").getSqlState())
                .isEqualTo("23514");
    }

    @Test
    void anotherConstraintIs23000() {
        R2dbcException e = failure("INSERT INTO guarded (id) VALUES (1)");
        assertThat(e).isInstanceOf(R2dbcDataIntegrityViolationException.class);
        assertThat(e.getSqlState()).isEqualTo("23000");
    }

    @Test
    void grammarErrorsAreClass42() {
        R2dbcException syntax = failure("SELEC 1");
        assertThat(syntax).isInstanceOf(R2dbcBadGrammarException.class);
        assertThat(syntax.getSqlState()).isEqualTo("42000");
        assertThat(failure("SELECT * FROM nowhere").getSqlState()).isEqualTo("42S02");
        assertThat(failure("SELECT missing FROM parent").getSqlState()).isEqualTo("42S22");
        assertThat(failure("CREATE TABLE parent (x)").getSqlState()).isEqualTo("42S01");
    }

    @Test
    void aClosedDatabaseIs08003() {
        factory.close();
        R2dbcException e = failure("SELECT 1");
        assertThat(e).isInstanceOf(R2dbcNonTransientResourceException.class);
        assertThat(e.getSqlState()).isEqualTo("08003");
    }
}
