package io.sqliteasync.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.r2dbc.SqlScanner.Kind;
import io.sqliteasync.r2dbc.SqlScanner.Part;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlScannerTest {

    @Test
    void splitsOnSemicolonsOutsideLiteralsCommentsAndTriggerBodies() {
        List<Part> parts = SqlScanner.split("SELECT ';' AS \"a;b\" FROM [x;y]; -- c;\n"
                + "CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET v = CASE WHEN 1 THEN 2 END; "
                + "DELETE FROM z; END; /* ; */ ; ;INSERT INTO x VALUES (1)");
        assertThat(parts).extracting(Part::sql).containsExactly(
                "SELECT ';' AS \"a;b\" FROM [x;y]",
                "-- c;\nCREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET v = CASE WHEN 1 THEN 2 END; "
                        + "DELETE FROM z; END",
                "INSERT INTO x VALUES (1)");
        assertThat(parts).extracting(Part::kind).containsExactly(Kind.QUERY, Kind.WRITE, Kind.WRITE);
    }

    @Test
    void classifiesStatements() {
        assertThat(kind("select 1")).isEqualTo(Kind.QUERY);
        assertThat(kind("VALUES (1), (2)")).isEqualTo(Kind.QUERY);
        assertThat(kind("WITH c AS (SELECT 1) SELECT * FROM c")).isEqualTo(Kind.QUERY);
        assertThat(kind("WITH c AS (SELECT 1) DELETE FROM t WHERE x IN c")).isEqualTo(Kind.WRITE);
        assertThat(kind("WITH c AS (SELECT 1) DELETE FROM t RETURNING id")).isEqualTo(Kind.WRITE_ROWS);
        assertThat(kind("INSERT INTO t VALUES (1) RETURNING *")).isEqualTo(Kind.WRITE_ROWS);
        assertThat(kind("INSERT INTO t VALUES ('RETURNING')")).isEqualTo(Kind.WRITE);
        assertThat(kind("PRAGMA table_info(t)")).isEqualTo(Kind.QUERY);
        assertThat(kind("PRAGMA user_version = 3")).isEqualTo(Kind.WRITE);
        assertThat(kind("CREATE TABLE t (x)")).isEqualTo(Kind.WRITE);
        assertThat(kind("begin immediate")).isEqualTo(Kind.CONTROL);
        assertThat(kind("ROLLBACK TO sp")).isEqualTo(Kind.CONTROL);
        assertThat(kind("release sp")).isEqualTo(Kind.CONTROL);
    }

    @Test
    void numbersParametersTheWaySqliteDoes() {
        Part p = SqlScanner.split("SELECT ?, :a, ?5, @b, :a, ?, $c, '?:x' -- ?").get(0);
        assertThat(p.parameterCount()).isEqualTo(8);
        assertThat(p.names()).isEqualTo(Map.of(":a", 2, "@b", 6, "$c", 8));
        assertThat(SqlScanner.split("SELECT 1").get(0).parameterCount()).isZero();
    }

    @Test
    void findsDmlAndReturning() {
        Part insert = SqlScanner.split("INSERT INTO t (a) VALUES (?)").get(0);
        assertThat(insert.dml()).isTrue();
        assertThat(insert.returning()).isFalse();
        assertThat(SqlScanner.split("SELECT 1").get(0).dml()).isFalse();
        assertThat(SqlScanner.split("UPDATE t SET a = 1 RETURNING a").get(0).returning()).isTrue();
    }

    @Test
    void dropsEmptyStatementsAndKeepsUnterminatedText() {
        assertThat(SqlScanner.split(" ; -- only a comment\n ;")).isEmpty();
        assertThat(SqlScanner.split("SELECT 'unterminated")).extracting(Part::sql)
                .containsExactly("SELECT 'unterminated");
    }

    @Test
    void quotesIdentifiers() {
        assertThat(SqlScanner.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    }

    private static Kind kind(String sql) {
        return SqlScanner.split(sql).get(0).kind();
    }
}
