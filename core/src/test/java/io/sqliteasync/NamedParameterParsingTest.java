package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.codec.Money;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named parameters are found as SQLite's tokenizer finds them; a record with a codec is a value, not a source of names. */
class NamedParameterParsingTest {
    @TempDir
    Path dir;
    AsyncConnection connection;
    BlockingConnection db;

    @BeforeEach
    void open() {
        connection = AsyncConnection.open(dir.resolve("r.db").toString()).join();
        db = connection.blocking();
    }

    @AfterEach
    void close() {
        connection.close();
    }

    @Test
    void dollarInsideAnIdentifierIsNoParameter() {
        db.execute("CREATE TABLE t(a$b INTEGER, id INTEGER)");
        db.execute("INSERT INTO t(a$b, id) VALUES (1, :id)", Map.of("id", 5));
        assertThat(db.fetchOne("SELECT a$b, id FROM t WHERE id = :id", Map.of("id", 5)).toMap())
                .containsEntry("a$b", 1L).containsEntry("id", 5L);
    }

    @Test
    void namesWithDoubleColonsAndTclSuffixesBindByName() {
        Row row = db.fetchOne("SELECT :a::b, $c(x), $c(y)", Map.of("a::b", 1, "c(x)", 2, "c(y)", 3));
        assertThat(row.get(0)).isEqualTo(1L);
        assertThat(row.get(1)).isEqualTo(2L);
        assertThat(row.get(2)).isEqualTo(3L);
    }

    @Test
    void aRecordWithACodecIsTheValueOfANamedParameter() {
        db.execute("CREATE TABLE w(id INTEGER, m MONEY)");
        Money m = new Money(new BigDecimal("1.50"), "EUR");
        db.execute("INSERT INTO w(id, m) VALUES (1, :m)", m);
        assertThat(db.fetchOne("SELECT m FROM w WHERE id = 1").get(0)).isEqualTo(m);
    }
}
