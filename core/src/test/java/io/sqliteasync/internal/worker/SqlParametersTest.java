package io.sqliteasync.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SqlParametersTest {
    @Test
    void numbersParametersLikeSqlite() {
        SqlParameters p = SqlParameters.parse("SELECT :a, @b, $c, :a, ?, ?5, :d");
        assertThat(p.count()).isEqualTo(6);
        assertThat(p.names()).containsExactly(":a", "@b", "$c", null, null, ":d");
        assertThat(p.positional()).isTrue();
        assertThat(p.hasNames()).isTrue();
    }

    @Test
    void skipsLiteralsQuotedIdentifiersAndComments() {
        SqlParameters p = SqlParameters.parse("SELECT ':no', 'it''s :no', \":no\", `:no`, [:no], x'3a6e6f' -- :no ?\n"
                + " /* :no ? */ , :yes, \"a\"\"b:no\" FROM t WHERE $tcl::name = @u_1");
        assertThat(p.names()).containsExactly(":yes", "$tcl::name", "@u_1");
        assertThat(p.positional()).isFalse();
    }

    @Test
    void positionalOnly() {
        SqlParameters p = SqlParameters.parse("INSERT INTO t VALUES (?, ?, ?2)");
        assertThat(p.count()).isEqualTo(2);
        assertThat(p.hasNames()).isFalse();
        assertThat(SqlParameters.parse("SELECT 1").count()).isZero();
        assertThat(SqlParameters.parse("SELECT ':' || ? -- unterminated '").names()).isEqualTo(Arrays.asList((String) null));
        assertThat(SqlParameters.parse("SELECT :é1").names()).containsExactly(":é1");
    }

    @Test
    void tokenizesNamesAndIdentifiersLikeSqlite() {
        // '$' is an identifier character in SQLite: a$b is one column name, :a$b one parameter.
        assertThat(SqlParameters.parse("SELECT a$b, x$ FROM t WHERE id = :id").names()).containsExactly(":id");
        assertThat(SqlParameters.parse("SELECT :a$b").names()).containsExactly(":a$b");
        // '::' continues a name after any prefix, not only '$'.
        assertThat(SqlParameters.parse("SELECT :a::b, @c::d").names()).containsExactly(":a::b", "@c::d");
        // A Tcl-style array suffix is part of the name: two distinct parameters.
        assertThat(SqlParameters.parse("SELECT $a(x), $a(y), $a(x)").names()).containsExactly("$a(x)", "$a(y)");
        // A dot ends the name.
        assertThat(SqlParameters.parse("SELECT $a.b").names()).containsExactly("$a");
    }
}
