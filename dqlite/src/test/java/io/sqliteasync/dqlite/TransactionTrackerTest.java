package io.sqliteasync.dqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.internal.sql.SqlScript;
import io.sqliteasync.internal.sql.SqlStatement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Following the transaction state from the statements that succeed, as dqlite cannot be asked. */
class TransactionTrackerTest {
    /**
     * Runs the statements of a script through a tracker; the answer lists, per statement, the access it was given
     * before it ran and whether a transaction is open after it.
     */
    private static String trace(String script) {
        TransactionTracker t = new TransactionTracker();
        StringBuilder sb = new StringBuilder();
        for (SqlStatement st : SqlScript.split(script)) {
            TransactionTracker.Access a = t.access(st);
            TransactionTracker.Effect e = t.apply(st);
            sb.append(sb.length() == 0 ? "" : " ").append(a).append(e == TransactionTracker.Effect.NONE ? "" : ":" + e)
                    .append(t.active() ? "+" : "-");
        }
        return sb.toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT 1; INSERT INTO t VALUES (1) | READ- WRITE-",
        "BEGIN; INSERT INTO t VALUES (1); COMMIT | CONTROL:BEGIN+ WRITE+ COMMIT:COMMIT-",
        "BEGIN IMMEDIATE; ROLLBACK | CONTROL:BEGIN+ ROLLBACK:ROLLBACK-",
        "begin transaction; end transaction | CONTROL:BEGIN+ COMMIT:COMMIT-",
        "SAVEPOINT a; SAVEPOINT b; RELEASE b; RELEASE SAVEPOINT a | CONTROL:BEGIN+ CONTROL+ CONTROL+ COMMIT:COMMIT-",
        "SAVEPOINT a; ROLLBACK TO a; RELEASE a | CONTROL:BEGIN+ CONTROL+ COMMIT:COMMIT-",
        "SAVEPOINT \"A\"; ROLLBACK TRANSACTION TO SAVEPOINT a; ROLLBACK | CONTROL:BEGIN+ CONTROL+ ROLLBACK:ROLLBACK-",
        "BEGIN; SAVEPOINT a; RELEASE a; COMMIT | CONTROL:BEGIN+ CONTROL+ CONTROL+ COMMIT:COMMIT-",
        "SAVEPOINT a; SAVEPOINT b; RELEASE a | CONTROL:BEGIN+ CONTROL+ COMMIT:COMMIT-",
        "COMMIT; ROLLBACK | COMMIT- ROLLBACK-",
        "RELEASE x | CONTROL-",
        "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x RETURNING * | WRITE-",
        "PRAGMA foreign_keys; PRAGMA foreign_keys = ON | READ- WRITE-"})
    void theStateFollowsTheStatements(String script, String expected) {
        assertThat(trace(script)).isEqualTo(expected);
    }
}
