package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** executeMany: row-returning statements, failures in AUTOCOMMIT and ATOMIC mode, counts, savepoints, failed commits. */
class ExecuteManyIT extends StaysUsableCase {
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
}
