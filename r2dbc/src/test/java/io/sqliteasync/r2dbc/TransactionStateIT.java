package io.sqliteasync.r2dbc;

import static io.sqliteasync.r2dbc.SqliteConnectionIT.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.Result;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Transaction state after timeouts, cancellation and auto-commit changes: nothing may commit that was reported lost. */
@org.junit.jupiter.api.Timeout(60)
class TransactionStateIT {
    static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    SqliteConnectionFactory factory;

    @BeforeEach
    void open() {
        factory = SqliteConnectionFactory.of(DatabaseOptions.builder(dir.resolve("tx.db").toString()).readers(2)
                .build());
        update("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    }

    @AfterEach
    void close() {
        factory.close();
    }

    @Test
    void aStatementTimeoutInsideATransactionLetsNothingLaterCommit() {
        SqliteConnection a = connect();
        a.beginTransaction().block(T);
        rows(a, "INSERT INTO t (id) VALUES (1)");
        a.setStatementTimeout(Duration.ofMillis(200)).block(T);
        assertThatThrownBy(() -> rows(a, SqliteConnectionIT.ENDLESS)).isInstanceOf(R2dbcTimeoutException.class);
        a.setStatementTimeout(Duration.ZERO).block(T);
        // SQLite rolled the transaction back when the statement was stopped: a later statement must not run in
        // autocommit mode (it would commit on its own) and must not pretend the transaction goes on.
        Throwable later = org.assertj.core.api.Assertions.catchThrowable(() -> rows(a, "INSERT INTO t (id) VALUES (2)"));
        assertThat(later).isInstanceOf(R2dbcTimeoutException.class).hasMessageContaining("no longer open");
        assertThatThrownBy(() -> a.commitTransaction().block(T)).isInstanceOf(R2dbcTimeoutException.class);
        assertThat(a.isAutoCommit()).isTrue();
        assertThat(value("SELECT count(*) FROM t")).isEqualTo(0L);
        // The connection goes on with a new transaction.
        a.beginTransaction().block(T);
        rows(a, "INSERT INTO t (id) VALUES (3)");
        a.commitTransaction().block(T);
        assertThat(value("SELECT group_concat(id) FROM t")).isEqualTo("3");
        a.close().block(T);
    }

    @Test
    void cancellingARunningQueryInsideATransactionKeepsTheTransaction() throws Exception {
        Database db = factory.database().join();
        CountDownLatch running = new CountDownLatch(1);
        db.createFunction("running", 0, args -> {
            running.countDown();
            return 1;
        }).join();
        SqliteConnection a = connect();
        a.beginTransaction().block(T);
        rows(a, "INSERT INTO t (id) VALUES (1)");
        Result r = Flux.from(a.createStatement("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
                + " WHERE x < 3000000) SELECT x FROM c WHERE x = 1 OR (x = 2 AND running() < 0)").fetchSize(1)
                .execute()).blockFirst(T);
        // The first row comes back; the second fetch steps through millions of rows, and is cancelled meanwhile.
        StepVerifier.create(r.map((row, md) -> row.get(0, Long.class)), 2).expectNext(1L)
                .then(() -> await(running)).thenCancel().verify(T);
        // Stopping SQLite there would roll the whole transaction back behind the connection's back.
        rows(a, "INSERT INTO t (id) VALUES (2)");
        a.commitTransaction().block(T);
        assertThat(value("SELECT coalesce(group_concat(id), 'none') FROM (SELECT id FROM t ORDER BY id)"))
                .isEqualTo("1,2");
        a.close().block(T);
    }

    @Test
    void switchingAutoCommitOnInsideABegunTransactionCommitsIt() {
        SqliteConnection a = connect();
        a.beginTransaction().block(T);
        rows(a, "INSERT INTO t (id) VALUES (1)");
        assertThat(a.isAutoCommit()).isFalse();
        a.setAutoCommit(true).block(T);
        assertThat(a.isAutoCommit()).isTrue();
        assertThat(value("SELECT count(*) FROM t")).isEqualTo(1L);
        a.close().block(T);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    SqliteConnection connect() {
        return factory.create().block(T);
    }

    void update(String sql) {
        Flux.usingWhen(factory.create(), c -> Flux.from(c.createStatement(sql).execute())
                .flatMap(Result::getRowsUpdated), Connection::close).blockLast();
    }

    Object value(String sql) {
        return SqliteConnectionFactoryProviderTest.value(factory, sql);
    }
}
