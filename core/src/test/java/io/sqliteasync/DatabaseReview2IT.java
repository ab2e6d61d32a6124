package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseReview2IT {
    @TempDir
    Path dir;

    private static final String FILL = "INSERT INTO t(x) WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c"
            + " WHERE i < 5000) SELECT i FROM c";

    private Database open(DatabaseOptions.Builder b) {
        return await(Database.open(b.build()));
    }

    @Test
    void aSnapshotCursorLeftOpenDoesNotPinTheReaderToAnOldSnapshot() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("a.db").toString()).readers(1))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            await(db.execute(FILL));
            // The cursor is left open, against the advice, when the scope ends.
            Row first = await(db.read(s -> s.cursor("SELECT x FROM t ORDER BY x").thenCompose(Cursor::fetchOne)));
            assertThat(first.getLong(0)).isEqualTo(1);
            await(db.execute("INSERT INTO t(x) VALUES (-1)"));
            assertThat(await(db.fetchOne("SELECT count(*) FROM t")).getLong(0)).isEqualTo(5001);
            long inScope = await(db.read(s -> s.fetchOne("SELECT count(*) FROM t").thenApply(r -> r.getLong(0))));
            assertThat(inScope).isEqualTo(5001);
        }
    }

    @Test
    void aSnapshotCursorUsedAfterTheScopeEndedFails() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("b.db").toString()).readers(1))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            await(db.execute(FILL));
            Cursor c = await(db.read(s -> s.cursor("SELECT x FROM t ORDER BY x")));
            assertThat(failure(c.fetchMany(10))).isInstanceOf(SqliteException.class);
        }
    }

    @Test
    void aTimedOutReadOnTheSharedConnectionDoesNotLeaveQueryOnlyOn() {
        try (Database db = open(DatabaseOptions.builder(":memory:"))) {
            assertThat(db.isWal()).isFalse();
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            CompletableFuture<?> slow = Deadline.within(Duration.ofMillis(100), () -> db.fetchAll(
                    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c) SELECT count(*) FROM c"));
            assertThat(failure(slow)).isInstanceOf(SqliteTimeoutException.class);
            assertThat(await(db.execute("INSERT INTO t(x) VALUES (1)")).rowsUpdated()).isEqualTo(1);
        }
    }

    @Test
    void aCancelledReadOnTheSharedConnectionDoesNotLeaveQueryOnlyOn() throws Exception {
        try (Database db = open(DatabaseOptions.builder(":memory:"))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            CompletableFuture<Void> started = new CompletableFuture<>();
            await(db.createFunction("started", 0, args -> {
                started.complete(null);
                return 1;
            }));
            CompletableFuture<?> slow = db.fetchAll("WITH RECURSIVE c(i) AS (SELECT started() UNION ALL"
                    + " SELECT i + 1 FROM c) SELECT count(*) FROM c");
            started.get(30, TimeUnit.SECONDS);
            slow.cancel(true);
            assertThat(await(db.execute("INSERT INTO t(x) VALUES (1)")).rowsUpdated()).isEqualTo(1);
        }
    }

    @Test
    void aBlockingCallOnTheWritersOwnThreadWhileItIsHeldFailsInsteadOfHanging() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("c.db").toString()))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            CompletableFuture<Object> tx = db.transaction(t -> {
                CompletableFuture<Object> r = new CompletableFuture<>();
                try {
                    db.blocking().execute("INSERT INTO t(x) VALUES (1)");
                    seen.complete(null);
                } catch (Throwable e) {
                    seen.complete(e);
                }
                r.complete(null);
                return r;
            });
            Throwable e = seen.completeOnTimeout(new AssertionError("hung"), 10, TimeUnit.SECONDS).join();
            assertThat(e).isInstanceOf(SqliteDeadlockException.class);
            await(tx);
        }
    }
}
