package io.sqliteasync.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTextTest {
    @Test
    void firstKeywordSkipsWhitespaceAndComments() {
        assertThat(SqlText.firstKeyword("  -- note\n /* x */ begin immediate")).isEqualTo("BEGIN");
        assertThat(SqlText.firstKeyword("select 1")).isEqualTo("SELECT");
        assertThat(SqlText.firstKeyword("/* unterminated")).isEmpty();
        assertThat(SqlText.firstKeyword("")).isEmpty();
    }

    @Test
    void recognisesTransactionControl() {
        for (String sql : new String[] {"BEGIN", "commit", "End transaction", "ROLLBACK TO x", "savepoint a",
            "release a"}) {
            assertThat(SqlText.isTransactionControl(sql)).as(sql).isTrue();
        }
        for (String sql : new String[] {"INSERT INTO t VALUES (1)", "SELECT 1", "CREATE TABLE begin_x(a)",
            "PRAGMA foreign_keys"}) {
            assertThat(SqlText.isTransactionControl(sql)).as(sql).isFalse();
        }
    }
}
