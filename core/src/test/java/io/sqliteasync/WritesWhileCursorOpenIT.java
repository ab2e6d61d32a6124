package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A write made in autocommit mode while a cursor of the same connection is still reading is committed when the
 * write returns: another connection sees it before the cursor is closed. The sqlite-jdbc engine relies on this (it
 * turns off sqlite-jdbc's own BEGIN/COMMIT after every statement, a workaround for old SQLite versions), so it is
 * checked on a file in both journal modes, for a single write and for {@code executeMany}; and a write inside an
 * explicit transaction stays invisible until its COMMIT.
 */
class WritesWhileCursorOpenIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"WAL", "DELETE"})
    void autocommitWritesAreCommittedWhileACursorReads(String journalMode) {
        String file = dir.resolve("w.db").toString();
        try (AsyncConnection a = AsyncConnection.open(file).join();
                AsyncConnection b = AsyncConnection.open(file).join()) {
            a.executeScript("PRAGMA journal_mode=" + journalMode + ";"
                    + "CREATE TABLE src(v INTEGER); CREATE TABLE t(v INTEGER);"
                    + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100)"
                    + " INSERT INTO src SELECT x FROM c;").join();
            Cursor cursor = a.cursor("SELECT v FROM src ORDER BY v").join();
            assertThat(cursor.fetchOne().join().getLong(0)).isEqualTo(1);

            ExecuteResult one = a.execute("INSERT INTO t VALUES (?)", 1L).join();
            assertThat(one.rowsUpdated()).isEqualTo(1);
            assertThat(count(b)).as("the single write, seen by another connection while the cursor reads")
                    .isEqualTo(1);

            ExecuteResult many = a.executeMany("INSERT INTO t VALUES (?)",
                    List.of(new Object[] {2L}, new Object[] {3L}, new Object[] {4L})).join();
            assertThat(many.rowsUpdated()).isEqualTo(3);
            assertThat(count(b)).as("the batch, seen by another connection while the cursor reads").isEqualTo(4);

            assertThat(cursor.fetchOne().join().getLong(0)).as("the cursor still reads on").isEqualTo(2);
            cursor.close();
            assertThat(count(b)).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"WAL", "DELETE"})
    void writesInsideATransactionStayInvisibleUntilCommitWhileACursorReads(String journalMode) {
        String file = dir.resolve("x.db").toString();
        try (AsyncConnection a = AsyncConnection.open(file).join();
                AsyncConnection b = AsyncConnection.open(file).join()) {
            a.executeScript("PRAGMA journal_mode=" + journalMode + ";"
                    + "CREATE TABLE src(v INTEGER); CREATE TABLE t(v INTEGER);"
                    + "INSERT INTO src VALUES (1), (2), (3);").join();
            if (journalMode.equals("WAL")) {
                // In rollback-journal mode a reader would be blocked by the pending write lock instead.
                assertThat(count(b)).isZero();
            }
            Cursor cursor = a.cursor("SELECT v FROM src ORDER BY v").join();
            assertThat(cursor.fetchOne().join().getLong(0)).isEqualTo(1);
            a.executeScript("BEGIN").join();
            a.execute("INSERT INTO t VALUES (1)").join();
            a.executeMany("INSERT INTO t VALUES (?)", List.of(new Object[] {2L}, new Object[] {3L})).join();
            assertThat(a.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isEqualTo(3);
            if (journalMode.equals("WAL")) {
                assertThat(count(b)).as("uncommitted writes are not visible to another connection").isZero();
            }
            a.executeScript("COMMIT").join();
            assertThat(count(b)).isEqualTo(3);
            assertThat(cursor.fetchOne().join().getLong(0)).isEqualTo(2);
            cursor.close();
        }
    }

    private static long count(AsyncConnection c) {
        return c.fetchOne("SELECT count(*) FROM t").join().getLong(0);
    }
}
