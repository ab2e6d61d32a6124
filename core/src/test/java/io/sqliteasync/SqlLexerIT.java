package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL lexer's answers where they reach SQLite: statement counting, NUL characters, named parameters. */
class SqlLexerIT {
    @TempDir
    Path dir;
    AsyncConnection db;

    @BeforeEach
    void open() {
        db = AsyncConnection.open(dir.resolve("l.db").toString()).join();
        db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v)").join();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static SqliteException failure(CompletableFuture<?> f) {
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
        assertThat(e.getCause()).isInstanceOf(SqliteException.class);
        return (SqliteException) e.getCause();
    }

    @Test
    void nulInSqlTextIsRefusedInsteadOfTruncatingTheText() {
        SqliteException e = failure(db.execute("INSERT INTO t(v) VALUES (1)\u0000; DELETE FROM t"));
        assertThat(e.getMessage()).contains("NUL");
        assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_MISUSE);
        assertThat(failure(db.fetchAll("SELECT 1\u0000 garbage")).getMessage()).contains("NUL");
        // As a parameter value a NUL is just a character.
        db.execute("INSERT INTO t(v) VALUES (?)", "a\u0000b").join();
        assertThat(db.fetchOne("SELECT v FROM t").join().getString(0)).isEqualTo("a\u0000b");
    }

    @Test
    void explainOfATriggerIsOneStatement() {
        assertThat(db.fetchAll("EXPLAIN CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT CASE WHEN 1 THEN 2 END;"
                + " SELECT 2; END;").join()).isNotEmpty();
        assertThat(failure(db.fetchAll("EXPLAIN CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; SELECT 2"))
                .getMessage()).contains("more than one statement");
    }

    @Test
    void hashNamedParametersBindByName() {
        assertThat(db.fetchOne("SELECT #a + :b, $c", Map.of("a", 1, "b", 2, "c", "x")).join().getLong(0))
                .isEqualTo(3);
    }
}
