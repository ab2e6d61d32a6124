package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review of the session layer: statement texts, executeMany and the statement cache. */
class SessionReview4IT {
    @TempDir
    Path dir;
    AsyncConnection db;

    @BeforeEach
    void open() {
        db = AsyncConnection.open(dir.resolve("s.db").toString()).join();
        db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v UNIQUE)").join();
    }

    @AfterEach
    void close() {
        if (db != null) {
            long before = count();
            db.execute("INSERT INTO t(v) VALUES ('still usable')").join();
            assertThat(count()).isEqualTo(before + 1);
            assertThat(db.isInTransaction().join()).isFalse();
            db.close();
        }
    }

    private long count() {
        return db.fetchOne("SELECT count(*) FROM t").join().getLong(0);
    }

    private static SqliteException failure(CompletableFuture<?> f) {
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
        assertThat(e.getCause()).isInstanceOf(SqliteException.class);
        return (SqliteException) e.getCause();
    }

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
    void executeManyRefusesRowReturningStatementBeforeApplyingAnySet() {
        SqliteException e = failure(db.executeMany("INSERT INTO t(v) VALUES (?) RETURNING id",
                List.of(List.of("a"), List.of("b")), BatchMode.AUTOCOMMIT));
        assertThat(e.getMessage()).contains("return");
        assertThat(count()).isZero();
        failure(db.executeMany("SELECT ?", List.of(List.of(1)), BatchMode.AUTOCOMMIT));
        assertThat(count()).isZero();
    }

    @Test
    void executeManyAutocommitFailureKeepsTheEarlierSetsOnly() {
        SqliteException e = failure(db.executeMany("INSERT INTO t(v) VALUES (?)",
                List.of(List.of(1), List.of(2), List.of(1), List.of(3)), BatchMode.AUTOCOMMIT));
        assertThat(e).isInstanceOf(SqliteConstraintException.class);
        assertThat(e.getMessage()).contains("UNIQUE");
        assertThat(e.sql()).isEqualTo("INSERT INTO t(v) VALUES (?)");
        assertThat(db.fetchAll("SELECT v FROM t ORDER BY v").join()).extracting(r -> r.getLong(0))
                .containsExactly(1L, 2L);
        SqliteException atomic = failure(db.executeMany("INSERT INTO t(v) VALUES (?)",
                List.of(List.of(5), List.of(6), List.of(2))));
        assertThat(atomic).isInstanceOf(SqliteConstraintException.class);
        assertThat(count()).isEqualTo(2);
        SqliteException first = failure(db.executeMany("INSERT INTO t(v) VALUES (?)",
                List.of(List.of(1), List.of(8)), BatchMode.AUTOCOMMIT));
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void executeManyCountsNoRowsForStatementsThatChangeNone() {
        db.execute("INSERT INTO t(v) VALUES (1), (2), (3)").join();
        ExecuteResult r = db.executeMany("CREATE TABLE IF NOT EXISTS other(a)", List.of(List.of(), List.of()))
                .join();
        assertThat(r.rowsUpdated()).isZero();
        assertThat(db.executeMany("UPDATE t SET v = v WHERE v = ?", List.of(List.of(99), List.of(1))).join()
                .rowsUpdated()).isEqualTo(1);
        assertThat(db.executeMany("INSERT INTO t(v) VALUES (?)", List.of()).join().rowsUpdated()).isZero();
    }

    @Test
    void atomicExecuteManyInsideATransactionRollsBackOnlyItsOwnSets() {
        db.execute("BEGIN").join();
        db.execute("INSERT INTO t(v) VALUES ('outer')").join();
        db.execute("SAVEPOINT mine").join();
        failure(db.executeMany("INSERT INTO t(v) VALUES (?)", List.of(List.of("x"), List.of("outer"))));
        assertThat(db.isInTransaction().join()).isTrue();
        db.execute("RELEASE mine").join();
        db.execute("COMMIT").join();
        assertThat(db.fetchAll("SELECT v FROM t").join()).extracting(r -> r.getString(0)).containsExactly("outer");
    }

    @Test
    void atomicExecuteManyWhoseCommitFailsLeavesNoTransactionOpen() {
        db.close();
        db = null;
        ConnectionOptions o = ConnectionOptions.builder(dir.resolve("busy.db").toString())
                .pragma("journal_mode", "DELETE").busyTimeout(Duration.ofMillis(50)).build();
        try (AsyncConnection writer = AsyncConnection.open(o).join();
                AsyncConnection reader = AsyncConnection.open(o).join()) {
            writer.execute("CREATE TABLE t(v)").join();
            writer.execute("INSERT INTO t VALUES (0), (1)").join();
            Cursor c = reader.cursor("SELECT v FROM t").join(); // holds a SHARED lock while active
            CompletableFuture<ExecuteResult> f = writer.executeMany("INSERT INTO t VALUES (?)",
                    List.of(List.of(2), List.of(3)));
            SqliteException e = failure(f);
            assertThat(e).isInstanceOf(SqliteBusyException.class);
            assertThat(writer.isInTransaction().join()).isFalse();
            c.close();
            assertThat(writer.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isEqualTo(2);
        }
    }

    @Test
    void cachedStatementSeesSchemaChanges() {
        db.execute("CREATE TABLE w(a)").join();
        db.execute("INSERT INTO w VALUES (1)").join();
        assertThat(db.fetchAll("SELECT * FROM w").join().get(0).metadata().columnCount()).isEqualTo(1);
        db.execute("ALTER TABLE w ADD COLUMN b DEFAULT 7").join();
        Row r = db.fetchOne("SELECT * FROM w").join();
        assertThat(r.metadata().columnCount()).isEqualTo(2);
        assertThat(r.getLong(1)).isEqualTo(7);
        db.execute("DROP TABLE w").join();
        db.execute("CREATE TABLE w(x TEXT, y, z)").join();
        db.execute("INSERT INTO w VALUES ('1', 2, 3)").join();
        r = db.fetchOne("SELECT * FROM w").join();
        assertThat(r.metadata().columnCount()).isEqualTo(3);
        assertThat(db.cursor("SELECT * FROM w").thenApply(c -> {
            List<String> names = c.columnNames();
            c.close();
            return names;
        }).join()).containsExactly("x", "y", "z");
        db.fetchOne("SELECT * FROM w").join();
        db.execute("DROP TABLE w").join(); // fetchOne reset its statement
    }

    @Test
    void statementCacheOfOneWithTwoOpenCursors() {
        db.close();
        db = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("c.db").toString()).statementCacheSize(1)
                .build()).join();
        db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v UNIQUE)").join();
        db.executeMany("INSERT INTO t(v) VALUES (?)", List.of(List.of(1), List.of(2), List.of(3))).join();
        Cursor a = db.cursor("SELECT v FROM t ORDER BY v").join();
        Cursor b = db.cursor("SELECT v * 10 FROM t ORDER BY v").join();
        assertThat(a.fetchOne().join().getLong(0)).isEqualTo(1);
        assertThat(b.fetchOne().join().getLong(0)).isEqualTo(10);
        db.fetchAll("SELECT 5").join();
        db.fetchAll("SELECT 6").join();
        assertThat(a.fetchAll().join()).extracting(r -> r.getLong(0)).containsExactly(2L, 3L);
        assertThat(b.fetchAll().join()).extracting(r -> r.getLong(0)).containsExactly(20L, 30L);
    }

    @Test
    void executeOfReturningStatementAppliesEveryRow() {
        ExecuteResult r = db.execute("INSERT INTO t(v) VALUES ('a'), ('b'), ('c') RETURNING id").join();
        assertThat(r.rowsUpdated()).isEqualTo(3);
        assertThat(count()).isEqualTo(3);
        assertThat(db.execute("UPDATE t SET v = v || '!' RETURNING v").join().rowsUpdated()).isEqualTo(3);
        assertThat(db.fetchAll("SELECT v FROM t WHERE v LIKE '%!'").join()).hasSize(3);
    }
}
