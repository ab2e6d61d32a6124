package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read scopes of a {@link Database}: their snapshot, the cursors opened in them, checkpoints while one is open. */
class SnapshotScopeIT {
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
    void aSnapshotDoesNotSeeACommitMadeWhileItIsOpenAndRefusesWrites() {
        for (String path : new String[] {dir.resolve("iso.db").toString(), ":memory:"}) {
            try (Database db = open(DatabaseOptions.builder(path))) {
                await(db.execute("CREATE TABLE t(x INTEGER)"));
                await(db.execute("INSERT INTO t(x) VALUES (1)"));
                CompletableFuture<Void> go = new CompletableFuture<>();
                CompletableFuture<Void> first = new CompletableFuture<>();
                CompletableFuture<long[]> read = db.read(s -> s.fetchOne("SELECT count(*) FROM t")
                        .thenCompose(a -> {
                            first.complete(null);
                            return go.thenCompose(x -> s.fetchOne("SELECT count(*) FROM t"))
                                .thenCompose(b -> s.fetchAll("INSERT INTO t(x) VALUES (9) RETURNING x")
                                        .handle((v, e) -> new long[] {a.getLong(0), b.getLong(0),
                                                e == null ? 0 : 1}));
                        }));
                await(first);
                CompletableFuture<ExecuteResult> write = db.execute("INSERT INTO t(x) VALUES (2)");
                if (db.isWal()) {
                    await(write);
                }
                go.complete(null);
                long[] r = await(read);
                await(write);
                assertThat(r).containsExactly(1, 1, 1);
                assertThat(await(db.fetchOne("SELECT count(*) FROM t")).getLong(0)).isEqualTo(2);
            }
        }
    }

    @Test
    void aTruncateCheckpointWhileASnapshotIsOpenReportsBusyAndLaterSucceeds() {
        try (Database db = open(DatabaseOptions.builder(dir.resolve("ckpt.db").toString())
                .busyTimeout(Duration.ofMillis(200)))) {
            await(db.execute("CREATE TABLE t(x INTEGER)"));
            await(db.execute("INSERT INTO t(x) VALUES (1)"));
            CompletableFuture<Void> hold = new CompletableFuture<>();
            CompletableFuture<Void> inside = new CompletableFuture<>();
            CompletableFuture<Long> read = db.read(s -> s.fetchOne("SELECT count(*) FROM t").thenCompose(r -> {
                inside.complete(null);
                return hold.thenApply(x -> r.getLong(0));
            }));
            await(inside);
            await(db.execute("INSERT INTO t(x) VALUES (2)"));
            CheckpointResult busy = await(db.checkpoint(CheckpointMode.TRUNCATE));
            assertThat(busy.busy()).isTrue();
            assertThat(await(db.execute("INSERT INTO t(x) VALUES (3)")).rowsUpdated()).isEqualTo(1);
            hold.complete(null);
            assertThat(await(read)).isEqualTo(1);
            CheckpointResult ok = await(db.checkpoint(CheckpointMode.TRUNCATE));
            assertThat(ok.busy()).isFalse();
        }
    }
}
