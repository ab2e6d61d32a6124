package io.sqliteasync.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The driver under r2dbc-pool: pooled connections share the one writer, so concurrent transactions never clash. */
class PoolIT {

    @TempDir
    Path dir;

    @Test
    void poolFromUrlRunsConcurrentTransactionsWithoutLosingUpdates() {
        ConnectionFactory cf = ConnectionFactories.get("r2dbc:pool:sqlite:///" + dir.resolve("pool.db")
                .toAbsolutePath() + "?maxSize=4&initialSize=2&validationQuery=SELECT%201");
        assertThat(cf).isInstanceOf(ConnectionPool.class);
        ConnectionPool pool = (ConnectionPool) cf;
        try {
            run(pool, "CREATE TABLE counter (n INTEGER NOT NULL)");
            run(pool, "INSERT INTO counter VALUES (0)");
            int tasks = 200;
            Flux.range(0, tasks).flatMap(i -> Flux.usingWhen(pool.create(),
                    c -> Mono.from(c.beginTransaction())
                            .thenMany(c.createStatement("SELECT n FROM counter").execute())
                            .flatMap(r -> r.map((row, md) -> row.get(0, Long.class))).single()
                            .flatMapMany(n -> c.createStatement("UPDATE counter SET n = $n").bind("n", n + 1)
                                    .execute())
                            .flatMap(Result::getRowsUpdated)
                            .then(Mono.from(c.commitTransaction())),
                    Connection::close).subscribeOn(Schedulers.parallel()), 16).blockLast(Duration.ofSeconds(60));
            assertThat(value(pool, "SELECT n FROM counter")).isEqualTo(tasks);
            assertThat(pool.getMetrics().orElseThrow().allocatedSize()).isLessThanOrEqualTo(4);
        } finally {
            pool.dispose();
        }
    }

    @Test
    void poolReleasesConnectionsWithTransactionsRolledBack() {
        SqliteConnectionFactory sqlite = SqliteConnectionFactory.of(dir.resolve("p2.db").toString());
        ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(sqlite).maxSize(1)
                .maxAcquireTime(Duration.ofSeconds(10)).build());
        try {
            run(pool, "CREATE TABLE t (x INTEGER)");
            // A connection handed back mid-transaction: the pool rolls it back, which must release the writer.
            Flux.usingWhen(pool.create(), c -> Mono.from(c.beginTransaction())
                    .thenMany(c.createStatement("INSERT INTO t VALUES (1)").execute())
                    .flatMap(Result::getRowsUpdated), Connection::close).blockLast(Duration.ofSeconds(10));
            run(pool, "INSERT INTO t VALUES (2)");
            assertThat(value(pool, "SELECT group_concat(x) FROM t")).isEqualTo("2");
        } finally {
            pool.dispose();
            sqlite.close();
        }
    }

    private static void run(ConnectionFactory cf, String sql) {
        Flux.usingWhen(cf.create(), c -> Flux.from(c.createStatement(sql).execute()).flatMap(Result::getRowsUpdated),
                Connection::close).blockLast(Duration.ofSeconds(10));
    }

    private static Object value(ConnectionFactory cf, String sql) {
        return SqliteConnectionFactoryProviderTest.value(cf, sql);
    }
}
