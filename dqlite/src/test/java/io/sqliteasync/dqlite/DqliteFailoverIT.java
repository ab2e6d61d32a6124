package io.sqliteasync.dqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leadership changes on a real cluster: a killed leader is replaced and the session follows. */
@Timeout(120)
class DqliteFailoverIT {
    @RegisterExtension
    static final DqliteClusterExtension CLUSTER = new DqliteClusterExtension();

    private static final DqliteClientOptions OPTIONS = DqliteClientOptions.builder()
            .dialTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(5))
            .discoveryTimeout(Duration.ofSeconds(30)).build();

    @Test
    void writesResumeOnTheNewLeaderAfterTheLeaderIsKilled() throws Exception {
        // One seed: the connector learns the other members from the cluster listing and finds them after the kill.
        DqliteConnector connector = DqliteConnector.of(List.of(CLUSTER.address(0)), OPTIONS);
        try (DqliteSession session = DqliteSession.open(connector, "failover")) {
            session.execSql("CREATE TABLE IF NOT EXISTS w (k INTEGER PRIMARY KEY, v TEXT)");
            session.execSql("DELETE FROM w");
            for (int k = 1; k <= 50; k++) {
                session.execSql("INSERT INTO w VALUES (?, ?)", k, "before");
            }
            String oldLeader = session.leaderAddress();
            DqliteProtocolConnection oldConnection = session.connection();
            int reconnectsBefore = session.reconnects();

            long killedAt = System.nanoTime();
            CLUSTER.kill(CLUSTER.indexOf(oldLeader));
            List<String> failures = new ArrayList<>();
            long resumedAt = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (;;) {
                    try {
                        // Idempotent, so it may be repeated when an attempt's outcome is unknown.
                        session.execSql("INSERT OR IGNORE INTO w VALUES (?, ?)", 51, "after");
                        return System.nanoTime();
                    } catch (DqliteException e) {
                        failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            });
            System.out.printf("leader %s killed: writes resumed on %s after %.0f ms (%d failed attempts: %s)%n",
                    oldLeader, session.leaderAddress(), (resumedAt - killedAt) / 1e6, failures.size(), failures);

            assertThat(session.leaderAddress()).isNotEqualTo(oldLeader);
            assertThat(oldConnection.isOpen()).isFalse();
            assertThat(session.reconnects()).isGreaterThan(reconnectsBefore);
            for (int k = 52; k <= 100; k++) {
                session.execSql("INSERT INTO w VALUES (?, ?)", k, "after");
            }
            List<Object[]> counts = session.queryAll("SELECT v, count(*) FROM w GROUP BY v ORDER BY v");
            assertThat(counts).extracting(r -> r[0]).containsExactly("after", "before");
            assertThat(counts).extracting(r -> r[1]).containsExactly(50L, 50L);

            CLUSTER.restart(CLUSTER.indexOf(oldLeader));
            // The restarted node rejoined: seeded with it alone, discovery reaches the leader and sees every row.
            try (DqliteProtocolConnection c = DqliteConnector.of(List.of(oldLeader), OPTIONS).connectToLeader()) {
                assertThat(c.address()).isEqualTo(session.leaderAddress());
                int db = c.open("failover");
                assertThat(c.querySql(db, "SELECT count(*) FROM w").readAll().get(0)).containsExactly(100L);
            }
        }
    }

    @Test
    void aFollowersDeathDoesNotInterruptTheSession() throws Exception {
        CLUSTER.awaitLeader();
        DqliteConnector connector = DqliteConnector.of(CLUSTER.addresses(), OPTIONS);
        try (DqliteSession session = DqliteSession.open(connector, "follower")) {
            session.execSql("CREATE TABLE IF NOT EXISTS f (k INTEGER PRIMARY KEY)");
            session.execSql("DELETE FROM f");
            String leader = session.leaderAddress();
            int follower = CLUSTER.indexOf(CLUSTER.addresses().stream().filter(a -> !a.equals(leader)).findFirst()
                    .orElseThrow());
            int reconnects = session.reconnects();
            CLUSTER.kill(follower);
            long start = System.nanoTime();
            for (int k = 1; k <= 100; k++) {
                session.execSql("INSERT INTO f VALUES (?)", k);
            }
            System.out.printf("100 writes with one follower down took %.0f ms%n", (System.nanoTime() - start) / 1e6);
            assertThat(session.reconnects()).isEqualTo(reconnects);
            assertThat(session.leaderAddress()).isEqualTo(leader);
            assertThat(session.queryAll("SELECT count(*) FROM f").get(0)).containsExactly(100L);
            CLUSTER.restart(follower);
        }
    }
}
