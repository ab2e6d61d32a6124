package io.sqliteasync.internal.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The literal for each kind of stored value, and the quoting of names, from a table. */
class SqlLiteralsTest {

    @Test
    void eachStoredValueHasItsLiteral() {
        List<Object[]> table = Arrays.asList(
                new Object[] {null, "NULL"},
                new Object[] {0L, "0"},
                new Object[] {Long.MIN_VALUE, "-9223372036854775808"},
                new Object[] {Long.MAX_VALUE, "9223372036854775807"},
                new Object[] {0.1, "0.1"},
                new Object[] {-0.0, "-0.0"},
                new Object[] {Double.MIN_VALUE, "4.9E-324"},
                new Object[] {Double.POSITIVE_INFINITY, "9e999"},
                new Object[] {Double.NEGATIVE_INFINITY, "-9e999"},
                new Object[] {Double.NaN, "NULL"},
                new Object[] {"", "''"},
                new Object[] {"it's", "'it''s'"},
                new Object[] {"back\\slash \"and\" 😀", "'back\\slash \"and\" 😀'"},
                new Object[] {"a\nb", "unistr('a\\u000Ab')"},
                new Object[] {"\u0000'\\\r\u007f", "unistr('\\u0000''\\\\\\u000D\\u007F')"},
                new Object[] {new byte[0], "X''"},
                new Object[] {new byte[] {0, -1, 10, 0x7f}, "X'00FF0A7F'"});
        for (Object[] row : table) {
            assertThat(SqlLiterals.literal(row[0])).as(String.valueOf(row[0])).isEqualTo(row[1]);
        }
    }

    @Test
    void aValueThatIsNoStoredValueIsRefused() {
        assertThatThrownBy(() -> SqlLiterals.literal(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void namesAreAlwaysDoubleQuoted() {
        assertThat(SqlLiterals.identifier("t")).isEqualTo("\"t\"");
        assertThat(SqlLiterals.identifier("select")).isEqualTo("\"select\"");
        assertThat(SqlLiterals.identifier("a \"b\" c")).isEqualTo("\"a \"\"b\"\" c\"");
        assertThat(SqlLiterals.identifier("naïve 日付")).isEqualTo("\"naïve 日付\"");
    }

    @Test
    void aStatementEndingInALineCommentGetsItsSemicolonOnANewLine() {
        assertThat(DumpPlan.terminated("CREATE TABLE t (x)")).isEqualTo("CREATE TABLE t (x);");
        assertThat(DumpPlan.terminated("CREATE TABLE t (x -- why\n)")).isEqualTo("CREATE TABLE t (x -- why\n);");
        assertThat(DumpPlan.terminated("CREATE TABLE t (x) -- why")).isEqualTo("CREATE TABLE t (x) -- why\n;");
        assertThat(DumpPlan.terminated("CREATE TABLE t (x) /* why */")).isEqualTo("CREATE TABLE t (x) /* why */;");
    }
}
