package io.sqliteasync.dqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqliteasync.AsyncConnection;

import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code Database} over a three-node cluster while its leader is killed with {@code kill -9} again and again
 * (restarted after each election, so that a majority always survives the next kill). One thread writes rows with
 * increasing keys and records every acknowledged one; another reads all along. Checked at the end: every
 * acknowledged row is there exactly once, a write whose outcome was reported unknown is there at most once, no read
 * failed, and writes resumed after every kill. {@code -Ddqlite.kills=N} sets the number of kills (3 by default).
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class DqliteLeaderKillIT {
    @RegisterExtension
    static final DqliteClusterExtension CLUSTER = new DqliteClusterExtension();

    private static final int KILLS = Integer.getInteger("dqlite.kills", 3);
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(90);

    /** One acknowledged write: its key, when it was sent and when its future completed. */
    private record Ack(long key, long sent, long acked) {
    }

    @Test
    void noAcknowledgedWriteIsLostAndWritesResumeAfterEveryLeaderKill() throws Exception {
        String url = "dqlite://" + String.join(",", CLUSTER.addresses()) + "/kills?failoverTimeout=30s";
        try (Database db = Database.open(DatabaseOptions.builder(url).readers(2).build()).get(60, TimeUnit.SECONDS)) {
            db.blocking().executeScript("CREATE TABLE w (id INTEGER PRIMARY KEY, k INTEGER NOT NULL)");
            List<Ack> acks = new CopyOnWriteArrayList<>();
            Set<Long> unknown = ConcurrentHashMap.newKeySet();
            List<Throwable> writeFailures = new CopyOnWriteArrayList<>();
            List<Throwable> readFailures = new CopyOnWriteArrayList<>();
            AtomicLong reads = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();

            Thread writer = new Thread(() -> {
                for (long k = 1; !stop.get(); k++) {
                    long sent = System.nanoTime();
                    try {
                        // No unique key on k: a write sent twice would show as a duplicate.
                        db.execute("INSERT INTO w(k) VALUES (?)", k).get(120, TimeUnit.SECONDS);
                        acks.add(new Ack(k, sent, System.nanoTime()));
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof DqliteUnknownOutcomeException) {
                            unknown.add(k);
                        } else {
                            writeFailures.add(e.getCause());
                        }
                    } catch (Exception e) {
                        writeFailures.add(e);
                    }
                }
            }, "kill-test-writer");
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        db.fetchOne("SELECT count(*) FROM w").get(120, TimeUnit.SECONDS);
                        reads.incrementAndGet();
                    } catch (Exception e) {
                        readFailures.add(e);
                    }
                }
            }, "kill-test-reader");
            writer.start();
            reader.start();

            List<Long> pausesMillis = new ArrayList<>();
            try {
                for (int kill = 1; kill <= KILLS; kill++) {
                    int before = acks.size();
                    awaitCondition(() -> acks.size() >= before + 20 || !writeFailures.isEmpty(), "writes before kill "
                            + kill);
                    assertThat(writeFailures).isEmpty();
                    int leader = CLUSTER.indexOf(CLUSTER.awaitLeader());
                    long killedAt = System.nanoTime();
                    CLUSTER.kill(leader);
                    awaitCondition(() -> firstAckSentAfter(acks, killedAt) != null || !writeFailures.isEmpty(),
                            "a write acknowledged after kill " + kill);
                    assertThat(writeFailures).isEmpty();
                    Ack first = firstAckSentAfter(acks, killedAt);
                    pausesMillis.add(TimeUnit.NANOSECONDS.toMillis(first.acked() - killedAt));
                    CLUSTER.restart(leader);
                }
                int before = acks.size();
                awaitCondition(() -> acks.size() >= before + 20 || !writeFailures.isEmpty(), "writes after the kills");
            } finally {
                stop.set(true);
                writer.join(TimeUnit.MINUTES.toMillis(3));
                reader.join(TimeUnit.MINUTES.toMillis(3));
            }

            assertThat(writeFailures).isEmpty();
            assertThat(readFailures).isEmpty();
            Map<Long, Long> rowsPerKey = new HashMap<>();
            for (Row r : db.fetchAll("SELECT k, count(*) FROM w GROUP BY k").get(60, TimeUnit.SECONDS)) {
                rowsPerKey.put(r.getLong(0), r.getLong(1));
            }
            long lost = 0;
            for (Ack a : acks) {
                if (rowsPerKey.getOrDefault(a.key(), 0L) != 1L) {
                    lost++;
                }
            }
            long unknownCommitted = unknown.stream().filter(k -> rowsPerKey.getOrDefault(k, 0L) == 1L).count();
            assertThat(lost).as("acknowledged writes missing or duplicated").isZero();
            assertThat(rowsPerKey.values()).as("rows per key").allMatch(n -> n == 1L);
            Set<Long> known = ConcurrentHashMap.newKeySet();
            acks.forEach(a -> known.add(a.key()));
            known.addAll(unknown);
            assertThat(known).as("every row comes from a write that was sent").containsAll(rowsPerKey.keySet());
            assertThat(pausesMillis).hasSize(KILLS);
            List<Long> sorted = new ArrayList<>(pausesMillis);
            Collections.sort(sorted);
            System.out.printf("dqlite leader kills: %d; acknowledged writes: %d, lost: %d; unknown outcome: %d"
                    + " (%d committed, %d not); reads: %d, failed: %d; pause after kill (ms) min %d, median %d,"
                    + " max %d; all: %s%n", KILLS, acks.size(), lost, unknown.size(), unknownCommitted,
                    unknown.size() - unknownCommitted, reads.get(), readFailures.size(), sorted.get(0),
                    sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), pausesMillis);
        }
    }

    @Test
    void aTransactionWhoseLeaderDiesIsRolledBackAndRefusesMoreStatementsUntilRollback() throws Exception {
        String url = "dqlite://" + String.join(",", CLUSTER.addresses()) + "/txkill?failoverTimeout=30s";
        try (AsyncConnection c = AsyncConnection.open(url).get(60, TimeUnit.SECONDS)) {
            c.executeScript("CREATE TABLE IF NOT EXISTS t (k INTEGER); DELETE FROM t").get(60, TimeUnit.SECONDS);
            c.executeScript("BEGIN").get(60, TimeUnit.SECONDS);
            c.execute("INSERT INTO t VALUES (1)").get(60, TimeUnit.SECONDS);
            assertThat(c.isInTransaction().get(60, TimeUnit.SECONDS)).isTrue();

            int leader = CLUSTER.indexOf(CLUSTER.awaitLeader());
            CLUSTER.kill(leader);
            assertThatThrownBy(() -> c.execute("INSERT INTO t VALUES (2)").get(120, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(DqliteConnectionLostException.class)
                    .hasMessageContaining("transaction was rolled back");
            // Not in autocommit mode behind the caller's back: the transaction's later statements fail.
            assertThatThrownBy(() -> c.execute("INSERT INTO t VALUES (3)").get(120, TimeUnit.SECONDS))
                    .cause().hasMessageContaining("end it with ROLLBACK");
            assertThatThrownBy(() -> c.executeScript("COMMIT").get(120, TimeUnit.SECONDS))
                    .cause().hasMessageContaining("nothing was committed");
            assertThat(c.isInTransaction().get(60, TimeUnit.SECONDS)).isFalse();
            assertThat(c.fetchOne("SELECT count(*) FROM t").get(120, TimeUnit.SECONDS).getLong(0)).isZero();
            c.execute("INSERT INTO t VALUES (4)").get(120, TimeUnit.SECONDS);
            assertThat(c.fetchOne("SELECT count(*) FROM t").get(120, TimeUnit.SECONDS).getLong(0)).isEqualTo(1);
            CLUSTER.restart(leader);
        }
    }

    private static Ack firstAckSentAfter(List<Ack> acks, long instant) {
        for (Ack a : acks) {
            if (a.sent() - instant > 0) {
                return a;
            }
        }
        return null;
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up after " + Duration.ofNanos(WAIT_NANOS).toSeconds() + " s waiting"
                        + " for " + what);
            }
            Thread.sleep(10);
        }
    }
}
