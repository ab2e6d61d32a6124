package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.count;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Database#begin()} handles: commit, rollback, close, and the timeout that takes the writer back. */
class TransactionHandleIT {
    @TempDir
    Path dir;

    private Database open(Duration transactionTimeout) {
        Database db = await(Database.open(DatabaseOptions.builder(dir.resolve("h.db").toString()).readers(2)
                .transactionTimeout(transactionTimeout).build()));
        await(db.executeScript("CREATE TABLE t (v TEXT)"));
        return db;
    }

    @Test
    void aHandleHoldsTheWriterUntilCommitWhilePlainWritesWaitBehindIt() {
        try (Database db = open(Duration.ofSeconds(60))) {
            Transaction tx = await(db.begin());
            await(tx.execute("INSERT INTO t VALUES ('tx')"));
            var plain = db.execute("INSERT INTO t VALUES ('plain')");
            assertThat(await(tx.fetchAll("SELECT v FROM t", String.class))).containsExactly("tx");
            assertThat(plain).isNotDone();
            assertThat(count(db, "t")).isZero();   // readers see only what is committed
            await(tx.commit());
            await(plain);
            assertThat(await(db.fetchAll("SELECT v FROM t ORDER BY rowid", String.class)))
                    .containsExactly("tx", "plain");
        }
    }

    @Test
    void closeRollsBackWithoutWaitingEvenOnTheWritersOwnThread() {
        try (Database db = open(Duration.ofSeconds(60))) {
            Transaction tx = await(db.begin(TransactionMode.EXCLUSIVE));
            // close() inside a stage that runs on the writer thread: a blocking close would wait for itself.
            await(tx.execute("INSERT INTO t VALUES ('gone')").thenAccept(r -> tx.close()));
            await(db.execute("INSERT INTO t VALUES ('kept')"));
            assertThat(await(db.fetchAll("SELECT v FROM t", String.class))).containsExactly("kept");
            assertThat(tx.isActive()).isFalse();
            await(tx.rollback());
            assertThat(failure(tx.commit())).hasMessageContaining("rolled back");
        }
    }

    @Test
    void anAbandonedHandleIsRolledBackByTheTimeoutAndLaterCallsOnItFail() {
        try (Database db = open(Duration.ofMillis(200))) {
            Transaction tx = await(db.begin());
            await(tx.execute("INSERT INTO t VALUES ('abandoned')"));
            // Waits for the writer, which the timeout takes back.
            await(db.execute("INSERT INTO t VALUES ('next')"));
            assertThat(await(db.fetchAll("SELECT v FROM t", String.class))).containsExactly("next");
            assertThat(failure(tx.execute("INSERT INTO t VALUES ('late')")))
                    .hasMessageContaining("did not complete within").hasMessageContaining("transactionTimeout");
            assertThat(failure(tx.commit())).isInstanceOf(SqliteTimeoutException.class);
            assertThat(db.stats().transactionTimeouts()).isEqualTo(1);
            assertThat(count(db, "t")).isEqualTo(1);
        }
    }

    @Test
    void transactionControlThroughTheHandleIsRefusedWithAdvice() {
        try (Database db = open(Duration.ofSeconds(60))) {
            try (Transaction tx = await(db.begin())) {
                assertThat(failure(tx.execute("COMMIT"))).hasMessageContaining("tx.commit()");
                assertThat(failure(tx.execute("BEGIN"))).hasMessageContaining("tx.transaction(fn)");
                Throwable savepointCommit = failure(tx.transaction(sp -> sp.execute("INSERT INTO t VALUES ('sp')")
                        .thenCompose(r -> sp.commit())));
                assertThat(savepointCommit).hasMessageContaining("savepoint");
                await(tx.commit());
            }
            assertThat(count(db, "t")).isZero();
        }
    }
}
