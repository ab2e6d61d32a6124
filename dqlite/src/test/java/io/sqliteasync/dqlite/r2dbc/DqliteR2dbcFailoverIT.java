package io.sqliteasync.dqlite.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.R2dbcException;
import io.sqliteasync.dqlite.DqliteClusterExtension;
import io.sqliteasync.dqlite.DqliteConnectionLostException;
import io.sqliteasync.dqlite.DqliteUnknownOutcomeException;
import io.sqliteasync.r2dbc.SqliteConnectionFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The R2DBC driver ({@code r2dbc:dqlite://}) while the leader of its cluster is killed with {@code kill -9}: writes
 * pause and resume, no acknowledged write is lost, a write whose outcome is unknown surfaces as an
 * {@link R2dbcException} caused by {@link DqliteUnknownOutcomeException}, and a transaction whose leader died fails
 * with the cause {@link DqliteConnectionLostException} and can be rolled back.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DqliteR2dbcFailoverIT {
    @RegisterExtension
    static final DqliteClusterExtension CLUSTER = new DqliteClusterExtension();

    private static final Duration BLOCK = Duration.ofSeconds(120);
    private static final int KILLS = 2;

    private static SqliteConnectionFactory factory(String database) {
        return (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:dqlite://"
                + String.join(",", CLUSTER.addresses()) + "/" + database + "?readers=1&failoverTimeout=30s");
    }

    private static long update(SqliteConnectionFactory f, String sql, Object... args) {
        return Mono.usingWhen(f.create(), c -> {
            var s = c.createStatement(sql);
            for (int i = 0; i < args.length; i++) {
                s.bind(i, args[i]);
            }
            return Flux.from(s.execute()).flatMap(r -> r.getRowsUpdated()).reduce(0L, Long::sum);
        }, Connection::close).block(BLOCK);
    }

    @Test
    void writesResumeAfterLeaderKillsAndNoAcknowledgedWriteIsLost() throws Exception {
        SqliteConnectionFactory f = factory("r2kill");
        try {
            update(f, "CREATE TABLE w (id INTEGER PRIMARY KEY, k INTEGER NOT NULL)");
            List<Long> acked = new CopyOnWriteArrayList<>();
            Set<Long> unknown = ConcurrentHashMap.newKeySet();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (long k = 1; !stop.get(); k++) {
                    try {
                        // No unique key on k: a write applied twice would show as a duplicate.
                        update(f, "INSERT INTO w(k) VALUES (?)", k);
                        acked.add(k);
                    } catch (R2dbcException e) {
                        if (e.getCause() instanceof DqliteUnknownOutcomeException) {
                            unknown.add(k);
                        } else {
                            failures.add(e);
                        }
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }, "r2dbc-kill-writer");
            writer.start();
            try {
                for (int kill = 1; kill <= KILLS; kill++) {
                    int before = acked.size();
                    await(() -> acked.size() >= before + 20 || !failures.isEmpty(), "writes before kill " + kill);
                    int leader = CLUSTER.indexOf(CLUSTER.awaitLeader());
                    CLUSTER.kill(leader);
                    int atKill = acked.size();
                    await(() -> acked.size() >= atKill + 5 || !failures.isEmpty(), "writes after kill " + kill);
                    CLUSTER.restart(leader);
                }
            } finally {
                stop.set(true);
                writer.join(TimeUnit.MINUTES.toMillis(3));
            }
            assertThat(failures).isEmpty();
            Map<Long, Long> rowsPerKey = new HashMap<>();
            Flux.usingWhen(f.create(), c -> Flux.from(c.createStatement("SELECT k, count(*) FROM w GROUP BY k")
                    .execute()).flatMap(r -> r.map((row, md) -> Map.entry(row.get(0, Long.class),
                            row.get(1, Long.class)))), Connection::close)
                    .doOnNext(e -> rowsPerKey.put(e.getKey(), e.getValue())).blockLast(BLOCK);
            assertThat(acked).isNotEmpty().allMatch(k -> rowsPerKey.getOrDefault(k, 0L) == 1L);
            assertThat(rowsPerKey.values()).allMatch(n -> n == 1L);
            assertThat(rowsPerKey.keySet()).allMatch(k -> acked.contains(k) || unknown.contains(k));
        } finally {
            f.close();
        }
    }

    @Test
    void aTransactionWhoseLeaderDiedFailsWithTheCauseAndRollsBack() throws Exception {
        SqliteConnectionFactory f = factory("r2txkill");
        try {
            update(f, "CREATE TABLE t (k INTEGER)");
            Connection c = f.create().block(BLOCK);
            try {
                Mono.from(c.beginTransaction()).block(BLOCK);
                Flux.from(c.createStatement("INSERT INTO t VALUES (1)").execute()).flatMap(r -> r.getRowsUpdated())
                        .blockLast(BLOCK);
                int leader = CLUSTER.indexOf(CLUSTER.awaitLeader());
                CLUSTER.kill(leader);
                assertThatThrownBy(() -> Flux.from(c.createStatement("INSERT INTO t VALUES (2)").execute())
                        .flatMap(r -> r.getRowsUpdated()).blockLast(BLOCK))
                        .isInstanceOf(R2dbcException.class)
                        .cause().isInstanceOf(DqliteConnectionLostException.class);
                Mono.from(c.rollbackTransaction()).block(BLOCK);
                assertThat(c.isAutoCommit()).isTrue();
                CLUSTER.restart(leader);
            } finally {
                Mono.from(c.close()).block(BLOCK);
            }
            assertThat(update(f, "INSERT INTO t VALUES (3)")).isEqualTo(1L);
            Object rows = Flux.usingWhen(f.create(), x -> Flux.from(x.createStatement("SELECT count(*) FROM t")
                    .execute()).flatMap(r -> r.map((row, md) -> row.get(0))), Connection::close).blockFirst(BLOCK);
            assertThat(rows).isEqualTo(1L);
        } finally {
            f.close();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up after 90 s waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
