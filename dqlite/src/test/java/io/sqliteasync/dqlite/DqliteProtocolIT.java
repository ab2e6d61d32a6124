package io.sqliteasync.dqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sqliteasync.SqliteException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The protocol client against a real three-node dqlite cluster. */
@Timeout(60)
class DqliteProtocolIT {
    @RegisterExtension
    static final DqliteClusterExtension CLUSTER = new DqliteClusterExtension();

    private static final DqliteClientOptions OPTIONS = DqliteClientOptions.builder()
            .dialTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(20))
            .discoveryTimeout(Duration.ofSeconds(30)).build();

    private DqliteProtocolConnection conn;
    private int db;
    private String table;

    @BeforeEach
    void connect(org.junit.jupiter.api.TestInfo info) {
        conn = DqliteConnector.of(CLUSTER.addresses(), OPTIONS).connectToLeader();
        db = conn.open("protocol");
        table = "t_" + info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void close() {
        conn.close();
    }

    @Test
    void clusterListsThreeVotersAndOneLeader() {
        List<DqliteNode> nodes = conn.cluster();
        assertThat(nodes).extracting(DqliteNode::address).containsExactlyInAnyOrderElementsOf(CLUSTER.addresses());
        assertThat(nodes).extracting(DqliteNode::role).containsOnly(DqliteNode.Role.VOTER);
        assertThat(conn.leader()).hasValueSatisfying(l -> assertThat(l.address()).isEqualTo(conn.address()));
        assertThat(nodes).extracting(DqliteNode::id).doesNotHaveDuplicates().doesNotContain(0L);
    }

    @Test
    void discoveryFromAFollowerAddressConnectsToTheLeader() {
        String leader = CLUSTER.awaitLeader();
        String follower = CLUSTER.addresses().stream().filter(a -> !a.equals(leader)).findFirst().orElseThrow();
        DqliteConnector connector = DqliteConnector.of(List.of(follower), OPTIONS);
        try (DqliteProtocolConnection c = connector.connectToLeader()) {
            assertThat(c.address()).isEqualTo(leader);
            assertThat(connector.knownAddresses()).containsExactlyInAnyOrderElementsOf(CLUSTER.addresses());
            int id = c.open("discovery");
            assertThat(c.execSql(id, "CREATE TABLE IF NOT EXISTS d (x)").rowsAffected()).isZero();
        }
    }

    @Test
    void aFollowerRefusesStatementsWithNotLeaderAndStaysUsable() {
        String leader = CLUSTER.awaitLeader();
        String follower = CLUSTER.addresses().stream().filter(a -> !a.equals(leader)).findFirst().orElseThrow();
        try (DqliteProtocolConnection c = DqliteProtocolConnection.connect(follower, OPTIONS)) {
            c.register();
            int id = c.open("protocol");
            assertThatThrownBy(() -> c.execSql(id, "CREATE TABLE f (x)"))
                    .isInstanceOfSatisfying(DqliteFailureException.class, f -> {
                        assertThat(f.extendedResultCode()).isEqualTo(10250);
                        assertThat(f.isNotLeader()).isTrue();
                    })
                    .hasMessageContaining("not leader");
            assertThat(c.isOpen()).isTrue();
            assertThat(c.leader()).hasValueSatisfying(l -> assertThat(l.address()).isEqualTo(leader));
        }
    }

    @Test
    void parametersOfEveryTypeRoundTrip() {
        conn.execSql(db, "CREATE TABLE " + table + " (i INTEGER, r REAL, t TEXT, b BLOB, n, flag BOOLEAN, "
                + "at_int DATETIME, at_text DATETIME)");
        DqliteStatement insert = conn.prepare(db, "INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        assertThat(insert.parameterCount()).isEqualTo(8);
        byte[] blob = {0, 1, 0, (byte) 0xff, 0};
        String text = "h\u00e9llo w\u00f6rld \u2713 \ud83d\ude00";
        OffsetDateTime at = OffsetDateTime.of(2024, 2, 29, 13, 4, 5, 120_000_000, ZoneOffset.ofHours(2));
        DqliteExecResult first = conn.exec(insert, Long.MIN_VALUE, -0.25, text, blob, null, true, 1_700_000_000L, at);
        assertThat(first.rowsAffected()).isEqualTo(1);
        DqliteExecResult second = conn.exec(insert, 7, 2.5f, "", new byte[0], null, false, null,
                Instant.ofEpochSecond(1_700_000_000, 5));
        assertThat(second.lastInsertId()).isEqualTo(first.lastInsertId() + 1);
        conn.finalizeStatement(insert);

        DqliteStatement select = conn.prepare(db, "SELECT * FROM " + table + " WHERE i <= ? ORDER BY rowid");
        try (DqliteRows rows = conn.query(select, 100L)) {
            assertThat(rows.columns()).containsExactly("i", "r", "t", "b", "n", "flag", "at_int", "at_text");
            DqliteRowBatch batch = rows.nextBatch();
            assertThat(batch.isLast()).isTrue();
            assertThat(batch.size()).isEqualTo(2);
            Object[] a = batch.row(0);
            assertThat(a[0]).isEqualTo(Long.MIN_VALUE);
            assertThat(a[1]).isEqualTo(-0.25);
            assertThat(a[2]).isEqualTo(text);
            assertThat((byte[]) a[3]).containsExactly(blob);
            assertThat(a[4]).isNull();
            assertThat(a[5]).isEqualTo(true);
            assertThat(a[6]).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
            assertThat(a[7]).isEqualTo("2024-02-29 13:04:05.12+02:00");
            List<DqliteType> types = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                types.add(batch.type(0, c));
            }
            System.out.println("dqlite row types for INTEGER, REAL, TEXT, BLOB, NULL, BOOLEAN, DATETIME(int), "
                    + "DATETIME(text): " + types);
            assertThat(types).containsExactly(DqliteType.INTEGER, DqliteType.FLOAT, DqliteType.TEXT, DqliteType.BLOB,
                    DqliteType.NULL, DqliteType.BOOLEAN, DqliteType.UNIXTIME, DqliteType.ISO8601);
            Object[] b = batch.row(1);
            assertThat(b).containsExactly(7L, 2.5, "", new byte[0], null, false, null,
                    "2023-11-14 22:13:20.000000005+00:00");
            assertThat(rows.nextBatch()).isNull();
        }
        conn.finalizeStatement(select);
    }

    @Test
    void aLargeResultArrivesInSeveralBatchesWithTheSameColumns() {
        conn.execSql(db, "CREATE TABLE " + table + " (i INTEGER PRIMARY KEY, sq INTEGER)");
        DqliteExecResult filled = conn.execSql(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                + "WHERE i < ?) INSERT INTO " + table + " SELECT i, i * i FROM n", 100_000);
        assertThat(filled.rowsAffected()).isEqualTo(100_000);
        long rows = 0;
        long sum = 0;
        int batches = 0;
        long previous = 0;
        try (DqliteRows result = conn.querySql(db, "SELECT i, sq FROM " + table + " ORDER BY i")) {
            for (DqliteRowBatch batch = result.nextBatch(); batch != null; batch = result.nextBatch()) {
                batches++;
                assertThat(batch.columns()).containsExactly("i", "sq");
                for (int r = 0; r < batch.size(); r++) {
                    long i = (Long) batch.value(r, 0);
                    assertThat(i).isEqualTo(previous + 1);
                    assertThat(batch.value(r, 1)).isEqualTo(i * i);
                    previous = i;
                    sum += i;
                    rows++;
                }
            }
            assertThat(result.isComplete()).isTrue();
        }
        System.out.println("100,000 rows arrived in " + batches + " batches");
        assertThat(rows).isEqualTo(100_000);
        assertThat(sum).isEqualTo(100_000L * 100_001 / 2);
        assertThat(batches).isGreaterThan(1);
        assertThat(conn.querySql(db, "SELECT count(*) FROM " + table).readAll().get(0)[0]).isEqualTo(100_000L);
    }

    @Test
    void interruptingALongQueryMidBatchesLeavesTheConnectionUsable() {
        conn.execSql(db, "CREATE TABLE " + table + " (i INTEGER PRIMARY KEY)");
        conn.execSql(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
                + "INSERT INTO " + table + " SELECT i FROM n");
        DqliteRows rows = conn.querySql(db, "SELECT i, i * 2 FROM " + table);
        DqliteRowBatch first = rows.nextBatch();
        assertThat(first.isLast()).isFalse();
        assertThat(rows.nextBatch().isLast()).isFalse();
        assertThatThrownBy(() -> conn.querySql(db, "SELECT 1"))
                .isInstanceOf(SqliteException.class)
                .hasMessageContaining("still streaming");
        long start = System.nanoTime();
        conn.interrupt(db);
        System.out.printf("interrupt after 2 of ~%d batches took %.1f ms%n", 100_000 / first.size(),
                (System.nanoTime() - start) / 1e6);
        assertThat(rows.isComplete()).isTrue();
        assertThat(rows.nextBatch()).isNull();
        assertThat(conn.querySql(db, "SELECT 41 + 1").readAll().get(0)).containsExactly(42L);
        conn.interrupt(db); // with nothing running: confirmed at once
        assertThat(conn.execSql(db, "DELETE FROM " + table + " WHERE i > 10").rowsAffected()).isEqualTo(99_990);
    }

    @Test
    void anEndlessQueryIsStoppedByClosingTheConnectionWithinTheInterruptTimeout() {
        DqliteClientOptions options = DqliteClientOptions.builder().readTimeout(Duration.ofSeconds(5))
                .interruptTimeout(Duration.ofMillis(500)).build();
        try (DqliteProtocolConnection c = DqliteConnector.of(CLUSTER.addresses(), options).connectToLeader()) {
            int id = c.open("protocol");
            DqliteRows rows = c.querySql(id, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                    + "SELECT i FROM n");
            assertThat(rows.nextBatch().isLast()).isFalse();
            long start = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                    assertThatThrownBy(rows::close)
                            .isInstanceOf(DqliteConnectionLostException.class)
                            .hasMessageContaining("after the interrupt"));
            System.out.printf("endless query: connection closed %.0f ms after the interrupt%n",
                    (System.nanoTime() - start) / 1e6);
            assertThat(c.isOpen()).isFalse();
            assertThatThrownBy(() -> c.querySql(id, "SELECT 1")).isInstanceOf(DqliteConnectionLostException.class);
        }
        // The server survives and serves the next connection.
        assertThat(conn.querySql(db, "SELECT 1").readAll()).hasSize(1);
    }

    @Test
    void aFailureInTheMiddleOfAResultSetEndsItAndTheConnectionStaysUsable() {
        conn.execSql(db, "CREATE TABLE " + table + " (i INTEGER PRIMARY KEY)");
        conn.execSql(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) "
                + "INSERT INTO " + table + " SELECT i FROM n");
        DqliteRows rows = conn.querySql(db, "SELECT CASE WHEN i < 40000 THEN i ELSE abs(-9223372036854775807 - 1) "
                + "END FROM " + table + " ORDER BY i");
        int batches = 0;
        DqliteFailureException failure = null;
        try {
            while (rows.nextBatch() != null) {
                batches++;
            }
        } catch (DqliteFailureException e) {
            failure = e;
        }
        assertThat(batches).isGreaterThan(1);
        // dqlite 1.11 reports SQLITE_ERROR here with the column's text as the message, not SQLite's "integer
        // overflow": what matters is that the failure arrives in place of a batch and ends the result set.
        assertThat(failure).isNotNull();
        assertThat(failure.resultCode()).isEqualTo(SqliteException.SQLITE_ERROR);
        System.out.println("failure after " + batches + " batches: " + failure.getMessage());
        assertThat(rows.isComplete()).isTrue();
        assertThat(conn.querySql(db, "SELECT 1").readAll()).hasSize(1);
    }

    @Test
    void execSqlRunsSeveralStatementsAndQuerySqlBindsParameters() {
        DqliteExecResult r = conn.execSql(db, "CREATE TABLE " + table + " (k TEXT PRIMARY KEY, v INTEGER); "
                + "INSERT INTO " + table + " VALUES ('a', 1); INSERT INTO " + table + " VALUES ('b', 2), ('c', 3)");
        assertThat(r.rowsAffected()).isEqualTo(2);
        assertThat(r.lastInsertId()).isEqualTo(3);
        List<Object[]> rows = conn.querySql(db, "SELECT k, v FROM " + table + " WHERE v >= ? AND k <> ? ORDER BY k",
                2, "zzz").readAll();
        assertThat(rows).extracting(x -> x[0]).containsExactly("b", "c");
        List<Object[]> none = conn.querySql(db, "SELECT k FROM " + table + " WHERE v > 99").readAll();
        assertThat(none).isEmpty();
    }

    @Test
    void twoHundredFiftyFiveParametersWorkAndMoreAreRefusedBeforeSending() {
        String marks = String.join(",", java.util.Collections.nCopies(255, "?"));
        Object[] values = IntStream.range(0, 255).mapToObj(i -> (Object) (long) i).toArray();
        List<Object[]> rows = conn.querySql(db, "SELECT " + marks, values).readAll();
        assertThat(rows.get(0)).hasSize(255).startsWith(0L, 1L).endsWith(254L);

        String more = String.join(",", java.util.Collections.nCopies(300, "?"));
        Object[] many = IntStream.range(0, 300).mapToObj(i -> (Object) (long) i).toArray();
        assertThatThrownBy(() -> conn.querySql(db, "SELECT " + more, many))
                .isInstanceOfSatisfying(DqliteException.class,
                        e -> assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_RANGE))
                .hasMessageContaining("300 parameters");
        assertThat(conn.isOpen()).isTrue();
        assertThat(conn.querySql(db, "SELECT 2").readAll()).hasSize(1);
    }

    @Test
    void badInputFailsClearlyAndLeavesTheConnectionUsable() {
        assertThatThrownBy(() -> conn.prepare(db, "SELEC 1"))
                .isInstanceOfSatisfying(DqliteFailureException.class, f -> assertThat(f.resultCode()).isEqualTo(1))
                .hasMessageContaining("syntax error").hasMessageContaining("SELEC 1");
        assertThatThrownBy(() -> conn.prepare(db, "  "))
                .isInstanceOf(DqliteFailureException.class).hasMessageContaining("empty statement");
        DqliteStatement two = conn.prepare(db, "SELECT ?, ?");
        assertThatThrownBy(() -> conn.query(two, 1L))
                .isInstanceOfSatisfying(DqliteException.class,
                        e -> assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_RANGE))
                .hasMessageContaining("takes 2 parameters, got 1");
        assertThatThrownBy(() -> conn.query(two, 1L, new Object()))
                .isInstanceOfSatisfying(DqliteException.class,
                        e -> assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_MISMATCH));
        assertThatThrownBy(() -> conn.query(two, 1L, "nul\0inside"))
                .isInstanceOf(DqliteException.class).hasMessageContaining("NUL");
        assertThat(conn.query(two, 1L, "nul\0inside".getBytes()).readAll().get(0)[1])
                .isEqualTo("nul\0inside".getBytes());
        assertThatThrownBy(() -> conn.execSql(db, "SELECT 1\0; DROP TABLE x"))
                .isInstanceOf(DqliteException.class).hasMessageContaining("NUL");
        conn.finalizeStatement(two);
        assertThatThrownBy(() -> conn.finalizeStatement(two))
                .isInstanceOf(DqliteFailureException.class).hasMessageContaining("no statement");
        assertThatThrownBy(() -> conn.query(two, 1L, 2L)).isInstanceOf(DqliteFailureException.class);
        assertThatThrownBy(() -> conn.execSql(db + 7, "SELECT 1"))
                .isInstanceOf(DqliteFailureException.class).hasMessageContaining("no database");
        conn.execSql(db, "CREATE TABLE " + table + " (id INTEGER PRIMARY KEY)");
        conn.execSql(db, "INSERT INTO " + table + " VALUES (1)");
        assertThatThrownBy(() -> conn.execSql(db, "INSERT INTO " + table + " VALUES (1)"))
                .isInstanceOfSatisfying(DqliteFailureException.class,
                        f -> assertThat(f.resultCode()).isEqualTo(SqliteException.SQLITE_CONSTRAINT));
        assertThat(conn.isOpen()).isTrue();
        assertThat(conn.querySql(db, "SELECT count(*) FROM " + table).readAll().get(0)).containsExactly(1L);
    }

    @Test
    void databaseNamesAreCheckedAndAConnectionHoldsOneDatabase() {
        assertThatThrownBy(() -> conn.open("other"))
                .isInstanceOf(DqliteException.class).hasMessageContaining("already has database 'protocol' open");
        try (DqliteProtocolConnection c = DqliteConnector.of(CLUSTER.addresses(), OPTIONS).connectToLeader()) {
            assertThatThrownBy(() -> c.open(""))
                    .isInstanceOfSatisfying(DqliteException.class,
                            e -> assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_CANTOPEN));
            assertThatThrownBy(() -> c.open("a\0b")).isInstanceOf(DqliteException.class).hasMessageContaining("NUL");
            int other = c.open("other \u00e9");
            c.execSql(other, "CREATE TABLE IF NOT EXISTS only_here (x)");
        }
        // Databases are separate: the table made in "other é" is not in "protocol".
        assertThatThrownBy(() -> conn.querySql(db, "SELECT * FROM only_here"))
                .isInstanceOf(DqliteFailureException.class).hasMessageContaining("no such table");
    }

    @Test
    void theHttpPortOfANodeNeverAnswersAndTheCallEndsAtTheReadTimeout() {
        // Go's HTTP server waits for a request line that a dqlite handshake never completes.
        DqliteClientOptions quick = DqliteClientOptions.builder().readTimeout(Duration.ofMillis(500)).build();
        try (DqliteProtocolConnection c = DqliteProtocolConnection.connect(CLUSTER.apiAddress(0), quick)) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                    assertThatThrownBy(c::leader)
                            .isInstanceOf(DqliteConnectionLostException.class)
                            .hasMessageContaining("within 500 ms")
                            .hasMessageContaining("a dqlite node?")
                            .hasCauseInstanceOf(java.net.SocketTimeoutException.class));
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void aNodeRefusesAnotherProtocolVersion() {
        DqliteClientOptions quick = DqliteClientOptions.builder().readTimeout(Duration.ofSeconds(5)).build();
        try (DqliteProtocolConnection c = DqliteProtocolConnection.connect(CLUSTER.address(0), quick, 2)) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                    assertThatThrownBy(c::leader)
                            .isInstanceOf(DqliteProtocolException.class)
                            .hasMessageContaining("protocol version 1"));
        }
    }
}
