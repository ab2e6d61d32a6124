package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Statement texts: one statement per call, semicolons inside strings, comments and triggers, empty texts, scripts. */
class StatementTextIT extends StaysUsableCase {
    @Test
    void executeRefusesSeveralStatementsInsteadOfRunningOnlyTheFirst() {
        SqliteException e = failure(db.execute("INSERT INTO t(v) VALUES ('a'); INSERT INTO t(v) VALUES ('b')"));
        assertThat(e.getMessage()).contains("more than one statement");
        assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_MISUSE);
        assertThat(count()).isZero();
        assertThat(failure(db.fetchAll("SELECT 1; SELECT 2")).getMessage()).contains("more than one statement");
        assertThat(failure(db.cursor("SELECT 1; DELETE FROM t")).getMessage()).contains("more than one statement");
        assertThat(failure(db.executeMany("INSERT INTO t(v) VALUES (?); DELETE FROM t", List.of(List.of(1))))
                .getMessage()).contains("more than one statement");
        assertThat(count()).isZero();
    }

    @Test
    void oneStatementWithSemicolonsInStringsCommentsTriggersAndTrailingTextStillRuns() {
        assertThat(db.execute("INSERT INTO t(v) VALUES ('a;b') ;; -- done; really\n /* ; */ ").join().rowsUpdated())
                .isEqualTo(1);
        db.execute("CREATE TABLE log(x)").join();
        db.execute("CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (1); INSERT INTO log"
                + " VALUES (2); END;").join();
        assertThat(db.execute("INSERT INTO t(v) VALUES (\"x;\")").join().rowsUpdated()).isEqualTo(1);
        assertThat(db.fetchOne("SELECT count(*) FROM log").join().getLong(0)).isEqualTo(2);
        assertThat(db.fetchAll("SELECT v FROM t ORDER BY id;\n").join()).hasSize(2);
    }

    @Test
    void textWithoutStatementFailsClearly() {
        for (String sql : List.of("", "   \n\t", "-- only a comment", "/* a comment */", ";", " ; ;")) {
            SqliteException e = failure(db.execute(sql));
            assertThat(e.getMessage()).as(sql).contains("holds no statement");
            assertThat(failure(db.fetchAll(sql)).getMessage()).as(sql).contains("holds no statement");
            assertThat(failure(db.cursor(sql)).getMessage()).as(sql).contains("holds no statement");
            assertThat(failure(db.executeMany(sql, List.of(List.of()))).getMessage()).as(sql)
                    .contains("holds no statement");
        }
    }

    @Test
    void executeOfReturningStatementAppliesEveryRow() {
        ExecuteResult r = db.execute("INSERT INTO t(v) VALUES ('a'), ('b'), ('c') RETURNING id").join();
        assertThat(r.rowsUpdated()).isEqualTo(3);
        assertThat(count()).isEqualTo(3);
        assertThat(db.execute("UPDATE t SET v = v || '!' RETURNING v").join().rowsUpdated()).isEqualTo(3);
        assertThat(db.fetchAll("SELECT v FROM t WHERE v LIKE '%!'").join()).hasSize(3);
    }

    @Test
    void scriptWithTrailingCommentAndEmptyStatements() {
        db.executeScript("CREATE TABLE s(x);; INSERT INTO s VALUES (1);\n-- trailing comment\n  ;  /* c */").join();
        assertThat(db.fetchOne("SELECT count(*) FROM s").join().getLong(0)).isEqualTo(1);
        db.execute("INSERT INTO s VALUES (2); -- trailing").join();
        assertThat(db.fetchOne("SELECT count(*) FROM s").join().getLong(0)).isEqualTo(2);
    }
}
