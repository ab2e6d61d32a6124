package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transaction control statements in any spelling, and scripts that begin, commit or fail inside a transaction. */
class TransactionControlIT {
    @TempDir
    Path dir;

    private Database open(DatabaseOptions.Builder b) {
        return await(Database.open(b.build()));
    }

    @Test
    void transactionControlIsRecognisedWhateverItsSpelling() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("ctl.db").toString()))) {
            await(db.execute("CREATE TABLE beginx(x INTEGER)"));
            for (String sql : new String[] {"  -- c\n /* d */ begin", "end transaction", "Rollback To sp",
                    "savepoint a", "release a", "COMMIT;", "\n\tBEGIN IMMEDIATE"}) {
                assertThat(failure(db.execute(sql))).as(sql).isInstanceOf(SqliteException.class)
                        .hasMessageContaining("transaction");
                assertThat(failure(db.transaction(tx -> tx.execute(sql)))).as(sql)
                        .hasMessageContaining("transaction(fn)");
            }
            assertThat(failure(db.execute("BEGINX"))).isInstanceOf(SqliteException.class)
                    .hasMessageNotContaining("transaction(fn)");
            await(db.execute("CREATE TRIGGER tr AFTER INSERT ON beginx WHEN new.x < 0 BEGIN"
                    + " DELETE FROM beginx WHERE x < 0; END"));
            await(db.execute("WITH v(x) AS (SELECT 1) INSERT INTO beginx SELECT x FROM v"));
            await(db.executeScript("BEGIN; INSERT INTO beginx VALUES (2); COMMIT; SAVEPOINT s;"
                    + " INSERT INTO beginx VALUES (3); RELEASE s"));
            assertThat(await(db.fetchOne("SELECT count(*) FROM beginx")).getLong(0)).isEqualTo(3);
            assertThat(failure(db.executeScript("BEGIN; INSERT INTO beginx VALUES (4)")))
                    .hasMessageContaining("left a transaction open");
            assertThat(await(db.fetchOne("SELECT count(*) FROM beginx")).getLong(0)).isEqualTo(3);
            assertThat(await(db.execute("INSERT INTO beginx VALUES (5)")).rowsUpdated()).isEqualTo(1);
        }
    }

    @Test
    void aTransactionScriptThatCommitsAndBeginsAgainFailsTheTransaction() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("scr.db").toString()))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            Throwable e = failure(db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (1)")
                    .thenCompose(r -> tx.executeScript("INSERT INTO t(x) VALUES (2); ROLLBACK; BEGIN;"
                            + " INSERT INTO t(x) VALUES (3)"))
                    .thenCompose(r -> tx.execute("INSERT INTO t(x) VALUES (4)"))));
            assertThat(e).isInstanceOf(SqliteException.class).hasMessageContaining("script");
            assertThat(await(db.fetchAll("SELECT x FROM t ORDER BY x"))).isEmpty();
            assertThat(await(db.execute("INSERT INTO t(x) VALUES (5)")).rowsUpdated()).isEqualTo(1);
        }
    }

    @Test
    void aScriptThatFailsAfterItsBeginDoesNotLeaveTheWriterInATransaction() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("scrfail.db").toString()))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            assertThat(failure(db.executeScript("BEGIN; INSERT INTO t(x) VALUES (1); SELECT nope FROM t; COMMIT")))
                    .isInstanceOf(SqliteException.class);
            await(db.execute("INSERT INTO t(x) VALUES (2)"));
            // a reader sees the plain write as committed, and the script's half-done work rolled back
            assertThat(await(db.fetchAll("SELECT x FROM t"))).extracting(r -> r.getLong(0)).containsExactly(2L);
            assertThat(await(db.transaction(tx -> tx.execute("INSERT INTO t(x) VALUES (3)"))).rowsUpdated())
                    .isEqualTo(1);
        }
    }
}
