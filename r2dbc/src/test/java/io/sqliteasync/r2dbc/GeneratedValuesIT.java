package io.sqliteasync.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Result;
import io.sqliteasync.DatabaseOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/** {@code returnGeneratedValues} with plain and already quoted column names. */
class GeneratedValuesIT {
    static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    SqliteConnectionFactory factory;
    SqliteConnection c;

    @BeforeEach
    void open() {
        factory = SqliteConnectionFactory.of(DatabaseOptions.builder(dir.resolve("gv.db").toString()).build());
        c = factory.create().block(T);
        Flux.from(c.createStatement("CREATE TABLE person (ID INTEGER PRIMARY KEY, \"full name\" TEXT,"
                + " \"a\"\"b\" TEXT)").execute()).flatMap(Result::getRowsUpdated).blockLast(T);
    }

    @AfterEach
    void close() {
        c.close().block(T);
        factory.close();
    }

    private List<Object> insertReturning(String... columns) {
        return Flux.from(c.createStatement("INSERT INTO person (\"full name\", \"a\"\"b\") VALUES ('Ada', 'x')")
                        .returnGeneratedValues(columns).execute())
                .flatMap(r -> r.map((row, md) -> row.get(0)))
                .collectList().block(T);
    }

    @Test
    void aDoubleQuotedNameIsUsedAsItIsAndReturnsTheKeyNotTheText() {
        assertThat(insertReturning("\"ID\"")).containsExactly(1);
        assertThat(insertReturning("\"id\"")).containsExactly(2);
    }

    @Test
    void aPlainNameIsQuotedAndReturnsTheKey() {
        assertThat(insertReturning("id")).containsExactly(1);
        assertThat(insertReturning("full name")).containsExactly("Ada");
        assertThat(insertReturning("a\"b")).containsExactly("x");
    }

    @Test
    void backtickAndBracketQuotedNamesAreUsedAsTheyAre() {
        assertThat(insertReturning("`ID`")).containsExactly(1);
        assertThat(insertReturning("[full name]")).containsExactly("Ada");
    }

    @Test
    void aQuotedNameWithItsQuoteDoubledInsideIsUsedAsItIs() {
        assertThat(insertReturning("\"a\"\"b\"")).containsExactly("x");
    }

    @Test
    void theReturnedColumnIsNamedWithoutQuotes() {
        String name = Flux.from(c.createStatement("INSERT INTO person (\"full name\") VALUES ('Ada')")
                        .returnGeneratedValues("\"ID\"").execute())
                .flatMap(r -> r.map((row, md) -> md.getColumnMetadata(0).getName()))
                .blockLast(T);
        assertThat(name).isEqualTo("ID");
    }

    @Test
    void onlyWellFormedQuotingCountsAsQuoted() {
        assertThat(SqliteStatement.returningColumn("\"ID\"")).isEqualTo("\"ID\"");
        assertThat(SqliteStatement.returningColumn("\"a\"b\"")).isEqualTo("\"\"\"a\"\"b\"\"\"");
        assertThat(SqliteStatement.returningColumn("\"")).isEqualTo("\"\"\"\"");
        assertThat(SqliteStatement.returningColumn("[a]b]")).isEqualTo("\"[a]b]\"");
        assertThat(SqliteStatement.returningColumn("id")).isEqualTo("\"id\"");
    }
}
