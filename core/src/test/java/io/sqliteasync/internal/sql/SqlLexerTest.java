package io.sqliteasync.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.internal.sql.SqlStatement.Kind;
import io.sqliteasync.internal.sql.SqlToken.Type;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one SQL lexer: a table of texts with the statements SQLite would prepare from them (checked against SQLite's
 * {@code sqlite3_prepare_v2} tails and {@code sqlite3_complete}), their kinds and first keywords, the parameter
 * names of the first statement, RETURNING and completeness; a table of token types; and properties over random
 * text.
 */
class SqlLexerTest {

    /**
     * One row. {@code null} fields are not checked. Kinds are written {@code "KIND KEYWORD"}; parameter names use
     * {@code "?"} for a positional parameter.
     */
    static final class Row {
        final String sql;
        List<String> statements;
        List<String> kinds;
        List<String> params;
        Boolean returning;
        Boolean complete;

        Row(String sql) {
            this.sql = sql;
        }

        Row stmts(String... texts) {
            statements = List.of(texts);
            return this;
        }

        Row kinds(String... k) {
            kinds = List.of(k);
            return this;
        }

        Row params(String... names) {
            params = List.of(names);
            return this;
        }

        Row returning(boolean r) {
            returning = r;
            return this;
        }

        Row complete(boolean c) {
            complete = c;
            return this;
        }

        @Override
        public String toString() {
            return sql.replace("\n", "\\n").replace("\u0000", "\\0");
        }
    }

    private static Row sql(String sql) {
        return new Row(sql);
    }

    /** A text that is one statement, kept as it is. */
    private static Row one(String sql, String kind) {
        return sql(sql).stmts(sql).kinds(kind);
    }

    static Stream<Row> table() {
        return Stream.of(
            // Semicolons inside strings, quoted identifiers, comments and trigger bodies.
            sql("SELECT ';' AS \"a;b\" FROM [x;y]; -- c;\n"
                    + "CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET v = CASE WHEN 1 THEN 2 END; "
                    + "DELETE FROM z; END; /* ; */ ; ;INSERT INTO x VALUES (1)")
                    .stmts("SELECT ';' AS \"a;b\" FROM [x;y]",
                            "-- c;\nCREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET v = CASE WHEN 1 THEN 2 END; "
                                    + "DELETE FROM z; END",
                            "INSERT INTO x VALUES (1)")
                    .kinds("QUERY SELECT", "WRITE CREATE", "WRITE INSERT").complete(false),
            sql("SELECT 'it''s; here'; SELECT 2;").stmts("SELECT 'it''s; here'", "SELECT 2").complete(true),
            sql("INSERT INTO t(v) VALUES ('a;b') ;; -- done; really\n /* ; */ ")
                    .stmts("INSERT INTO t(v) VALUES ('a;b')").kinds("WRITE INSERT").complete(true),
            one("SELECT 'unterminated", "QUERY SELECT").complete(false),
            one("SELECT 'a;b", "QUERY SELECT").complete(false),
            sql("SELECT \"a;\"\"b\", `c;``d`, [e;f] FROM t; SELECT 2")
                    .stmts("SELECT \"a;\"\"b\", `c;``d`, [e;f] FROM t", "SELECT 2").complete(false),
            one("SELECT [a;b", "QUERY SELECT").complete(false),
            one("SELECT `a;b", "QUERY SELECT").complete(false),
            one("SELECT \"a;b", "QUERY SELECT").complete(false),
            one("SELECT [a]]", "QUERY SELECT"),
            // Comments, terminated or not.
            sql("  -- note\n /* x */ begin immediate").stmts("-- note\n /* x */ begin immediate")
                    .kinds("CONTROL BEGIN"),
            sql("/* unterminated").stmts().complete(false),
            sql("/* a comment */").stmts().complete(false),
            sql("-- only a comment").stmts().complete(false),
            sql("-- c\n;").stmts().complete(true),
            sql("SELECT 1; -- c").stmts("SELECT 1").complete(true),
            sql("SELECT 1; /* c").stmts("SELECT 1").complete(false),
            one("SELECT 1 /* ; */ + 2", "QUERY SELECT"),
            one("SELECT 1 -- x; SELECT 2", "QUERY SELECT").complete(false),
            sql("SELECT 1 --\n; SELECT 2").stmts("SELECT 1 --", "SELECT 2"),
            sql("SELECT 1 /**/; SELECT 2").stmts("SELECT 1 /**/", "SELECT 2"),
            // A "/*" that ends the text is no comment for SQLite's tokenizer: '/' and '*' (a syntax error).
            sql("SELECT 1; /*").stmts("SELECT 1", "/*").kinds("QUERY SELECT", "WRITE ").complete(false),
            // Triggers: plain, TEMP, TEMPORARY, IF NOT EXISTS, under EXPLAIN, with CASE ... END in the body.
            sql("CREATE TRIGGER tr AFTER INSERT ON x BEGIN SELECT 1; END; SELECT 2")
                    .stmts("CREATE TRIGGER tr AFTER INSERT ON x BEGIN SELECT 1; END", "SELECT 2")
                    .kinds("WRITE CREATE", "QUERY SELECT"),
            sql("CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (1); INSERT INTO log"
                    + " VALUES (2); END;")
                    .stmts("CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (1); INSERT INTO log"
                            + " VALUES (2); END")
                    .complete(true),
            one("create temporary trigger if not exists tr after insert on x begin select 1; end", "WRITE CREATE")
                    .complete(false),
            sql("CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON x BEGIN INSERT INTO log VALUES ('ins;' || new.id);"
                    + " DELETE FROM z; END;")
                    .stmts("CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON x BEGIN INSERT INTO log VALUES ('ins;' ||"
                            + " new.id); DELETE FROM z; END")
                    .complete(true),
            sql("EXPLAIN CREATE TRIGGER tr AFTER INSERT ON x BEGIN SELECT 1; END; SELECT 2")
                    .stmts("EXPLAIN CREATE TRIGGER tr AFTER INSERT ON x BEGIN SELECT 1; END", "SELECT 2")
                    .kinds("QUERY EXPLAIN", "QUERY SELECT"),
            sql("EXPLAIN QUERY PLAN CREATE TEMP TRIGGER tr AFTER INSERT ON x BEGIN SELECT 1; END;SELECT 2")
                    .stmts("EXPLAIN QUERY PLAN CREATE TEMP TRIGGER tr AFTER INSERT ON x BEGIN SELECT 1; END",
                            "SELECT 2")
                    .kinds("QUERY EXPLAIN", "QUERY SELECT"),
            sql("CREATE TRIGGER tr AFTER INSERT ON x BEGIN SELECT CASE WHEN 1 THEN 2 END; SELECT CASE new.a WHEN 1"
                    + " THEN 'x' ELSE 'y'\nEND; END; SELECT 4")
                    .stmts("CREATE TRIGGER tr AFTER INSERT ON x BEGIN SELECT CASE WHEN 1 THEN 2 END; SELECT CASE new.a"
                            + " WHEN 1 THEN 'x' ELSE 'y'\nEND; END", "SELECT 4"),
            one("CREATE TRIGGER tr AFTER INSERT ON x BEGIN SELECT CASE WHEN 1 THEN 2 END; END", "WRITE CREATE"),
            // An unterminated trigger body keeps its last semicolon (SQLite: "incomplete input").
            one("CREATE TRIGGER tr AFTER INSERT ON x BEGIN SELECT 1;", "WRITE CREATE").complete(false),
            sql("CREATE TRIGGER begin_t AFTER INSERT ON x BEGIN SELECT 1; END; BEGIN")
                    .stmts("CREATE TRIGGER begin_t AFTER INSERT ON x BEGIN SELECT 1; END", "BEGIN")
                    .kinds("WRITE CREATE", "CONTROL BEGIN"),
            // TRIGGER and TEMP elsewhere start no trigger body.
            sql("SELECT 1 AS trigger; SELECT 2").stmts("SELECT 1 AS trigger", "SELECT 2"),
            sql("CREATE TABLE temp.y(a); SELECT 2").stmts("CREATE TABLE temp.y(a)", "SELECT 2"),
            sql("CREATE TABLE trigger_log(a);CREATE INDEX i ON trigger_log(a)")
                    .stmts("CREATE TABLE trigger_log(a)", "CREATE INDEX i ON trigger_log(a)"),
            // Transaction control.
            one("BEGIN", "CONTROL BEGIN").complete(false),
            one("begin immediate", "CONTROL BEGIN"),
            one("commit", "CONTROL COMMIT"),
            one("End transaction", "CONTROL END"),
            one("ROLLBACK TO sp", "CONTROL ROLLBACK"),
            one("savepoint a", "CONTROL SAVEPOINT"),
            one("release sp", "CONTROL RELEASE"),
            sql(";BEGIN;").stmts("BEGIN").kinds("CONTROL BEGIN").complete(true),
            one("BEGINX", "WRITE BEGINX"),
            one("begin_x", "WRITE BEGIN_X"),
            one("CREATE TABLE begin_x(a)", "WRITE CREATE"),
            one("EXPLAIN BEGIN", "QUERY EXPLAIN"),
            one("PRAGMA foreign_keys", "QUERY PRAGMA"),
            // Classification.
            one("select 1", "QUERY SELECT"),
            one("VALUES (1), (2)", "QUERY VALUES"),
            one("PRAGMA table_info(t)", "QUERY PRAGMA"),
            one("PRAGMA user_version = 3", "WRITE PRAGMA"),
            one("CREATE TABLE t (x)", "WRITE CREATE"),
            one("DROP TABLE t", "WRITE DROP"),
            one("(SELECT 1)", "WRITE "),
            one("WITH", "QUERY WITH"),
            // WITH ... SELECT reads; WITH ... INSERT/UPDATE/DELETE/REPLACE writes.
            one("WITH c AS (SELECT 1) SELECT * FROM c", "QUERY WITH").returning(false),
            one("WITH c AS (SELECT 1) DELETE FROM t WHERE x IN c", "WRITE WITH").returning(false),
            one("WITH c AS (SELECT 1) DELETE FROM t RETURNING id", "WRITE_ROWS WITH").returning(true),
            one("WITH RECURSIVE c(n) AS (VALUES(1) UNION ALL SELECT n+1 FROM c WHERE n<5) INSERT INTO t SELECT n"
                    + " FROM c", "WRITE WITH"),
            one("WITH c AS (SELECT replace('a', 'b', 'c')) SELECT * FROM c", "QUERY WITH"),
            one("WITH replace AS (SELECT 1) SELECT * FROM replace", "QUERY WITH"),
            one("WITH a AS (SELECT 1), b AS MATERIALIZED (SELECT (2)) UPDATE t SET x = 1", "WRITE WITH"),
            one("with c(x) as (select 1) replace into t select x from c", "WRITE WITH"),
            // RETURNING, also after comments; not in strings, quoted identifiers, comments or non-DML.
            one("INSERT INTO t VALUES (1) RETURNING *", "WRITE_ROWS INSERT").returning(true),
            one("INSERT INTO t VALUES ('RETURNING')", "WRITE INSERT").returning(false),
            one("UPDATE t SET a = 1 /* c */ RETURNING a", "WRITE_ROWS UPDATE").returning(true),
            one("DELETE FROM t -- c\nRETURNING id", "WRITE_ROWS DELETE").returning(true),
            one("DELETE FROM t/**/RETURNING id", "WRITE_ROWS DELETE").returning(true),
            one("REPLACE INTO t VALUES (1) returning a", "WRITE_ROWS REPLACE").returning(true),
            one("INSERT INTO t VALUES (1) -- RETURNING", "WRITE INSERT").returning(false),
            one("UPDATE t SET \"returning\" = 1", "WRITE UPDATE").returning(false),
            one("EXPLAIN INSERT INTO t VALUES (1) RETURNING a", "QUERY EXPLAIN").returning(false),
            one("INSERT INTO t (a) VALUES (?)", "WRITE INSERT").returning(false).params("?"),
            // Parameters as SQLite numbers them.
            one("SELECT ?, :a, ?5, @b, :a, ?, $c, '?:x' -- ?", "QUERY SELECT")
                    .params("?", ":a", "?", "?", "?", "@b", "?", "$c"),
            one("SELECT :a, @b, $c, :a, ?, ?5, :d", "QUERY SELECT").params(":a", "@b", "$c", "?", "?", ":d"),
            one("SELECT ':no', 'it''s :no', \":no\", `:no`, [:no], x'3a6e6f' -- :no ?\n /* :no ? */ , :yes,"
                    + " \"a\"\"b:no\" FROM t WHERE $tcl::name = @u_1", "QUERY SELECT")
                    .params(":yes", "$tcl::name", "@u_1"),
            one("INSERT INTO t VALUES (?, ?, ?2)", "WRITE INSERT").params("?", "?"),
            one("SELECT 1", "QUERY SELECT").params(),
            one("SELECT ':' || ? -- unterminated '", "QUERY SELECT").params("?"),
            one("SELECT :é1", "QUERY SELECT").params(":é1"),
            one("SELECT a$b, x$ FROM t WHERE id = :id", "QUERY SELECT").params(":id"),
            one("SELECT :a$b", "QUERY SELECT").params(":a$b"),
            one("SELECT :a::b, @c::d", "QUERY SELECT").params(":a::b", "@c::d"),
            one("SELECT $a(x), $a(y), $a(x)", "QUERY SELECT").params("$a(x)", "$a(y)"),
            one("SELECT $a.b", "QUERY SELECT").params("$a"),
            one("SELECT $a(b)c, :f(2)", "QUERY SELECT").params("$a(b)", ":f(2)"),
            one("SELECT #a, :1, @2, $3, $::h, @g::", "QUERY SELECT").params("#a", ":1", "@2", "$3", "$::h", "@g::"),
            one("SELECT ?1, ?, ?5, :a, ?2", "QUERY SELECT").params("?", "?", "?", "?", "?", ":a"),
            one("SELECT ?3abc", "QUERY SELECT").params("?", "?", "?"),
            one("SELECT $c(x y)", "QUERY SELECT").params(),
            one("SELECT : a, @, $", "QUERY SELECT").params(),
            // NUL ends the text for SQLite; control characters are tokens of their own.
            one("SELECT 1\u0000; SELECT 2", "QUERY SELECT").complete(false),
            sql("SELECT 1;\u0000").stmts("SELECT 1", "\u0000").complete(true),
            one("SELECT 'a\u0000b'; SELECT 2", "QUERY SELECT"),
            one("SELECT\u000b1", "QUERY SELECT"),
            sql("SELECT 1;\u0001").stmts("SELECT 1", "\u0001").kinds("QUERY SELECT", "WRITE "),
            sql("SELECT 1; \u000b").stmts("SELECT 1").complete(false),
            sql("SELECT 1;\t\r\n\f").stmts("SELECT 1").complete(true),
            sql("\uFEFFSELECT 1").stmts("SELECT 1").kinds("QUERY SELECT"),
            // Unicode identifiers: every non-ASCII character is an identifier character, even U+00A0.
            one("SELECT é1 FROM (SELECT 1 AS é1)", "QUERY SELECT"),
            one("SELECT ñame, 名前 FROM t WHERE x = :名前", "QUERY SELECT").params(":名前"),
            one("SELECT\u00a01", "WRITE SELECT\u00a01"),
            sql("SELECT '\uD83D\uDE00;'; SELECT \"\uD83D\uDE00\"").stmts("SELECT '\uD83D\uDE00;'",
                    "SELECT \"\uD83D\uDE00\""),
            // Empty and comment-only text.
            sql("").stmts().complete(false),
            sql("   \n\t").stmts().complete(false),
            sql(";").stmts().complete(true),
            sql(" ; ;").stmts().complete(true),
            sql(" ; -- only a comment\n ;").stmts().complete(true),
            sql("SELECT 1;").stmts("SELECT 1").complete(true),
            sql("SELECT 1").stmts("SELECT 1").complete(false));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("table")
    void table(Row row) {
        List<SqlStatement> statements = SqlScript.split(row.sql);
        if (row.statements != null) {
            assertThat(statements).extracting(SqlStatement::text).as("statements").containsExactlyElementsOf(
                    row.statements);
        }
        assertThat(SqlScript.count(row.sql)).as("count").isEqualTo(Math.min(statements.size(), 2));
        if (row.kinds != null) {
            assertThat(statements).extracting(s -> s.kind() + " " + s.firstKeyword()).as("kinds")
                    .containsExactlyElementsOf(row.kinds);
        }
        String first = statements.isEmpty() ? "" : statements.get(0).firstKeyword();
        assertThat(SqlText.firstKeyword(row.sql)).as("first keyword").isEqualTo(first);
        assertThat(SqlText.isTransactionControl(row.sql)).as("transaction control")
                .isEqualTo(!statements.isEmpty() && statements.get(0).isTransactionControl());
        if (row.params != null) {
            SqlParameters p = statements.get(0).parameters();
            List<String> expected = row.params.stream().map(n -> n.equals("?") ? null : n)
                    .collect(Collectors.toList());
            assertThat(p.names()).as("parameters").isEqualTo(expected);
            assertThat(p.count()).isEqualTo(expected.size());
            assertThat(p.positional()).isEqualTo(row.params.contains("?"));
            assertThat(p.hasNames()).isEqualTo(expected.stream().anyMatch(n -> n != null));
            assertThat(SqlParameters.parse(statements.get(0).text())).isEqualTo(p);
        }
        if (row.returning != null) {
            assertThat(statements.get(0).hasReturning()).as("returning").isEqualTo(row.returning);
            assertThat(statements.get(0).kind() == Kind.WRITE_ROWS).isEqualTo(row.returning);
        }
        if (row.complete != null) {
            assertThat(SqlScript.isComplete(row.sql)).as("complete").isEqualTo(row.complete);
        }
        assertThat(SqlScript.segments(row.sql).stream().map(SqlStatement::raw).collect(Collectors.joining()))
                .isEqualTo(row.sql);
    }

    static Stream<Object[]> tokenTable() {
        return Stream.of(
            new Object[] {"SELECT 'a''b'", "WORD SPACE STRING"},
            new Object[] {"x'0A' X'0g' x'0' x'ab", "BLOB SPACE ILLEGAL SPACE ILLEGAL SPACE ILLEGAL"},
            new Object[] {"xy'a'", "WORD STRING"},
            new Object[] {"\"a\"\"b\" `c``d` [e\"f]", "QUOTED_ID SPACE QUOTED_ID SPACE QUOTED_ID"},
            new Object[] {"[a]]", "QUOTED_ID ILLEGAL"},
            new Object[] {"-- c\n/* d */ /* e", "COMMENT SPACE COMMENT SPACE COMMENT"},
            new Object[] {"1 /*", "NUMBER SPACE OPERATOR OPERATOR"},
            new Object[] {"/**/", "COMMENT"},
            new Object[] {"/*/", "COMMENT"},
            new Object[] {"1e5 0x1F .5 1. 1_000 1a 3e+ 0x", "NUMBER SPACE NUMBER SPACE NUMBER SPACE NUMBER SPACE NUMBER"
                    + " SPACE ILLEGAL SPACE ILLEGAL OPERATOR SPACE ILLEGAL"},
            new Object[] {"? ?12 :a @b #c $d $ : :: @1", "PARAMETER SPACE PARAMETER SPACE PARAMETER SPACE PARAMETER"
                    + " SPACE PARAMETER SPACE PARAMETER SPACE ILLEGAL SPACE ILLEGAL SPACE ILLEGAL ILLEGAL SPACE PARAMETER"},
            new Object[] {"$a(b c)", "ILLEGAL SPACE WORD RPAREN"},
            new Object[] {"a=b==c!=d<>e<=f>=g<<h>>i||j|k!l", "WORD OPERATOR WORD OPERATOR WORD OPERATOR WORD OPERATOR"
                    + " WORD OPERATOR WORD OPERATOR WORD OPERATOR WORD OPERATOR WORD OPERATOR WORD OPERATOR WORD"
                    + " ILLEGAL WORD"},
            new Object[] {"a->b->>c-d", "WORD OPERATOR WORD OPERATOR WORD OPERATOR WORD"},
            new Object[] {"(a,b);", "LPAREN WORD OPERATOR WORD RPAREN SEMI"},
            new Object[] {"a\u0001\\^{}\u007f", "WORD ILLEGAL ILLEGAL ILLEGAL ILLEGAL ILLEGAL ILLEGAL"},
            new Object[] {"a \u000b\u000bb\u000b", "WORD SPACE WORD ILLEGAL"},
            new Object[] {"a\u0000 b 'c", "WORD NUL"},
            new Object[] {"'a\u0000'", "ILLEGAL NUL"},
            new Object[] {"\uFEFF\uFEFFa\uFEFF", "SPACE SPACE WORD"},
            new Object[] {"é$1 _x", "WORD SPACE WORD"},
            new Object[] {"", ""});
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("tokenTable")
    void tokens(String sql, String types) {
        List<SqlToken> tokens = SqlLexer.tokenize(sql);
        assertThat(tokens.stream().map(t -> t.type().name()).collect(Collectors.joining(" "))).isEqualTo(types);
    }

    @Test
    void statementViews() {
        SqlStatement s = SqlScript.split(" /* a */ INSERT INTO t VALUES (:x, ?) ;").get(0);
        assertThat(s.text()).isEqualTo("/* a */ INSERT INTO t VALUES (:x, ?)");
        assertThat(s.raw()).isEqualTo(" /* a */ INSERT INTO t VALUES (:x, ?) ;");
        assertThat(s.isDml()).isTrue();
        assertThat(SqlScript.split("SELECT 1").get(0).isDml()).isFalse();
        assertThat(s.parameters().indexes()).containsExactly(java.util.Map.entry(":x", 1));
        assertThat(SqlScript.split("SELECT ?, :a, ?5, @b, :a, ?, $c").get(0).parameters().indexes())
                .containsExactly(java.util.Map.entry(":a", 2), java.util.Map.entry("@b", 6),
                        java.util.Map.entry("$c", 8));
        // A huge ?NNN (which SQLite refuses) allocates nothing.
        SqlParameters huge = SqlParameters.parse("SELECT ?999999999999, :a");
        assertThat(huge.count()).isGreaterThan(1000);
        assertThat(huge.names().get(huge.count() - 1)).isEqualTo(":a");
        assertThat(huge.hasNames()).isTrue();
        assertThat(SqlText.quoteIdentifier("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(SqlText.quoteIdentifier("sp 1")).isEqualTo("\"sp 1\"");
        assertThat(SqlText.firstKeyword("")).isEmpty();
        assertThat(SqlText.firstKeyword("/* unterminated")).isEmpty();
        SqlToken t = SqlLexer.tokenize("select").get(0);
        assertThat(t.is("select", "SELECT")).isTrue();
        assertThat(t.keyword("select")).isEqualTo("SELECT");
    }

    // Properties over random text.

    @Provide
    Arbitrary<String> sqlish() {
        Arbitrary<String> fragment = Arbitraries.of("SELECT", " ", ";", "'", "''", "\"", "`", "[", "]", "--", "\n",
                "/*", "*/", "CREATE", "TEMP", "TRIGGER", "BEGIN", "END", "CASE", "EXPLAIN", "?", ":a", "$b(", ")",
                "(", "x'", "1", "é", "\u0000", "\u000b", "::", "#", "@", "RETURNING", "WITH", "INSERT");
        return fragment.list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Property(tries = 500)
    void tokensCoverTheTextWithoutGaps(@ForAll("sqlish") String sql) {
        int at = 0;
        for (SqlToken t : SqlLexer.tokenize(sql)) {
            assertThat(t.start()).isEqualTo(at);
            assertThat(t.end()).isGreaterThan(t.start());
            at = t.end();
        }
        assertThat(at).isEqualTo(sql.length());
    }

    @Property(tries = 300)
    void tokensCoverAnyText(@ForAll String sql) {
        int at = 0;
        for (SqlToken t : SqlLexer.tokenize(sql)) {
            assertThat(t.start()).isEqualTo(at);
            at = t.end();
        }
        assertThat(at).isEqualTo(sql.length());
    }

    @Property(tries = 500)
    void splittingThenJoiningPreservesTheText(@ForAll("sqlish") String sql) {
        List<SqlStatement> segments = SqlScript.segments(sql);
        assertThat(segments.stream().map(SqlStatement::raw).collect(Collectors.joining())).isEqualTo(sql);
        List<SqlStatement> statements = SqlScript.split(sql);
        assertThat(SqlScript.count(sql)).isEqualTo(Math.min(statements.size(), 2));
        for (SqlStatement s : statements) {
            assertThat(s.raw()).contains(s.text());
            assertThat(s.text()).isNotEmpty();
        }
    }

    @Provide
    Arbitrary<String> stringContent() {
        return Arbitraries.strings().withChars(";'\"`[]-/* \nabc?:$").ofMaxLength(12).map(s -> s.replace("'", "''"));
    }

    @Property(tries = 300)
    void aStatementNeverSplitsInsideAString(@ForAll("stringContent") String a, @ForAll("stringContent") String b) {
        String first = "SELECT '" + a + "'";
        String second = "INSERT INTO t VALUES ('" + b + "', :p)";
        String script = first + ";\n" + second + ";";
        assertThat(SqlScript.split(script)).extracting(SqlStatement::text).containsExactly(first, second);
        assertThat(SqlScript.isComplete(script)).isTrue();
        assertThat(SqlScript.split(script).get(1).parameters().names()).containsExactly(":p");
    }

    @Property(tries = 200)
    void aTriggerBodyStaysOneStatement(@ForAll("stringContent") String a, @ForAll boolean explain,
            @ForAll boolean temp) {
        String trigger = (explain ? "EXPLAIN " : "") + "CREATE " + (temp ? "TEMP " : "")
                + "TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('" + a + "'); SELECT CASE WHEN 1 THEN"
                + " 2 END; END";
        List<SqlStatement> parts = SqlScript.split(trigger + "; SELECT 1");
        assertThat(parts).extracting(SqlStatement::text).containsExactly(trigger, "SELECT 1");
    }

    @Property(tries = 300)
    void quotedIdentifiersLexAsOneToken(@ForAll String name) {
        String sql = SqlText.quoteIdentifier(name.replace("\u0000", ""));
        List<SqlToken> tokens = SqlLexer.tokenize(sql);
        assertThat(tokens).hasSize(1);
        assertThat(tokens.get(0).type()).isEqualTo(Type.QUOTED_ID);
    }

}
