package io.sqliteasync.dqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.CallEvent;
import io.sqliteasync.CallListener;
import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.Database;
import io.sqliteasync.Deadline;
import io.sqliteasync.Row;
import io.sqliteasync.SqliteException;
import io.sqliteasync.SqliteTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stopping a query that never ends on its own (an endless recursive CTE whose rows keep streaming): by cancelling
 * its future, by a deadline and by {@code interrupt()}. The proof that the query stopped is that the same connection
 * (one worker, one socket) then answers the next call. Runs on the shared cluster.
 */
@Timeout(180)
class DqliteCancellationIT {
    private static final String ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
            + " SELECT x, 'padding to fill the batches' FROM c";

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    /** Tells when the endless query has started on its worker (a listener's onStart), so stopping it hits it running. */
    private static final class EndlessStarted implements CallListener {
        final CountDownLatch started = new CountDownLatch(1);

        @Override
        public void onStart(CallEvent call, Object context) {
            if (ENDLESS.equals(call.sql())) {
                started.countDown();
            }
        }

        @Override
        public void onEnd(CallEvent call, Object context) {
        }

        void await(CompletableFuture<?> f) throws InterruptedException {
            assertThat(started.await(60, TimeUnit.SECONDS)).as("the endless query started").isTrue();
            assertThat(f).isNotDone();
        }
    }

    private static AsyncConnection open(String database, EndlessStarted signal) throws Exception {
        return await(AsyncConnection.open(ConnectionOptions.builder(SharedCluster.url(database)).listener(signal)
                .build()));
    }

    @Test
    void cancellingARunningQueryStopsItAndTheConnectionAnswersTheNextCall() throws Exception {
        EndlessStarted running = new EndlessStarted();
        try (AsyncConnection c = open("cancel", running)) {
            CompletableFuture<List<Row>> endless = c.fetchAll(ENDLESS);
            running.await(endless);
            assertThat(endless.cancel(true)).isTrue();
            assertThatThrownBy(() -> endless.get(60, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
            assertThat(await(c.fetchOne("SELECT 41 + 1")).getLong(0)).isEqualTo(42);
        }
    }

    @Test
    void aDeadlineStopsARunningQueryWithATimeoutAndTheConnectionAnswersTheNextCall() throws Exception {
        try (AsyncConnection c = await(AsyncConnection.open(SharedCluster.url("deadline")))) {
            CompletableFuture<List<Row>> endless = Deadline.within(Duration.ofMillis(500), () -> c.fetchAll(ENDLESS));
            assertThatThrownBy(() -> endless.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SqliteTimeoutException.class);
            assertThat(await(c.fetchOne("SELECT 41 + 1")).getLong(0)).isEqualTo(42);
        }
    }

    @Test
    void interruptStopsTheRunningQueryWithSqliteInterrupt() throws Exception {
        EndlessStarted running = new EndlessStarted();
        try (AsyncConnection c = open("interrupt", running)) {
            CompletableFuture<List<Row>> endless = c.fetchAll(ENDLESS);
            running.await(endless);
            assertThat(c.interrupt()).isTrue();
            assertThatThrownBy(() -> endless.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SqliteException.class)
                    .satisfies(e -> assertThat(((SqliteException) e).resultCode())
                            .isEqualTo(SqliteException.SQLITE_INTERRUPT));
            assertThat(await(c.fetchOne("SELECT 41 + 1")).getLong(0)).isEqualTo(42);
        }
    }

    @Test
    void aCancelledStreamOfADatabaseReaderStopsAndTheReaderServesTheNextRead() throws Exception {
        EndlessStarted running = new EndlessStarted();
        try (Database db = await(Database.open(io.sqliteasync.DatabaseOptions.builder(SharedCluster.url("stream"))
                .readers(1).listener(running).build()))) {
            CompletableFuture<List<Row>> endless = db.fetchAll(ENDLESS);
            running.await(endless);
            endless.cancel(true);
            // One reader: the next read can only run once the endless one has stopped.
            assertThat(await(db.fetchOne("SELECT 41 + 1")).getLong(0)).isEqualTo(42);
        }
    }

    @Test
    void aCursorLeftOpenWhileOtherStatementsRunKeepsItsRows() throws Exception {
        try (AsyncConnection c = await(AsyncConnection.open(SharedCluster.url("cursor-interleaved")))) {
            await(c.executeScript("CREATE TABLE IF NOT EXISTS t (x INTEGER); DELETE FROM t;"
                    + " WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 2000)"
                    + " INSERT INTO t SELECT x FROM s"));
            try (io.sqliteasync.Cursor cursor = await(c.cursor("SELECT x FROM t ORDER BY x"))) {
                assertThat(await(cursor.fetchMany(10))).hasSize(10);
                // The rest of the result set streams on the same socket: it is read into memory before this runs.
                assertThat(await(c.execute("INSERT INTO t VALUES (0)")).rowsUpdated()).isEqualTo(1);
                List<Row> rest = await(cursor.fetchAll());
                assertThat(rest).hasSize(1990);
                assertThat(rest.get(0).getLong(0)).isEqualTo(11);
            }
        }
    }
}
