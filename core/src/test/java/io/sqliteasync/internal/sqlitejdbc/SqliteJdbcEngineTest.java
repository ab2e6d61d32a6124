package io.sqliteasync.internal.sqlitejdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.SqliteConstraintException;
import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.Capability;
import io.sqliteasync.internal.engine.EngineConnection;
import io.sqliteasync.internal.engine.EngineStatement;
import io.sqliteasync.internal.engine.StatementResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sqlite-jdbc engine through the seam's interfaces alone, as the worker uses it. */
class SqliteJdbcEngineTest {
    @TempDir
    Path dir;
    private EngineConnection c;

    @BeforeEach
    void open() {
        c = SqliteJdbcEngine.INSTANCE.open(ConnectionOptions.of(dir.resolve("e.db").toString()));
        c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
    }

    @AfterEach
    void close() {
        c.close();
    }

    @Test
    void rowsArriveInBatchesUpToTheLimitAndTheEndIsReportedOnce() {
        c.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
                + "INSERT INTO t(v) SELECT i FROM n");
        try (EngineStatement s = c.prepare("SELECT id, v FROM t ORDER BY id")) {
            assertThat(s.start()).isTrue();
            List<Object[]> rows = new ArrayList<>();
            assertThat(s.fetch(rows::add, 4)).isTrue();
            assertThat(rows).hasSize(4);
            assertThat(s.fetch(rows::add, 4)).isTrue();
            assertThat(s.fetch(rows::add, 4)).isFalse();
            assertThat(rows).hasSize(10);
            assertThat(rows.get(9)).containsExactly(10L, 10L);
            assertThat(s.fetch(rows::add, 4)).as("after the end").isFalse();
        }
    }

    @Test
    void valuesKeepTheirStorageClassBothWays() {
        try (EngineStatement ins = c.prepare("INSERT INTO t(v) VALUES (?)")) {
            for (Object v : new Object[] {42L, 2.5, "text", new byte[] {1, 2}, new byte[0], null}) {
                ins.bind(1, v);
                ins.execute();
            }
        }
        try (EngineStatement s = c.prepare("SELECT v, typeof(v) FROM t ORDER BY id")) {
            List<Object[]> rows = new ArrayList<>();
            assertThat(s.start()).isTrue();
            s.fetch(rows::add, 100);
            assertThat(rows).extracting(r -> r[1]).containsExactly("integer", "real", "text", "blob", "blob", "null");
            assertThat(rows.get(0)[0]).isEqualTo(42L);
            assertThat(rows.get(1)[0]).isEqualTo(2.5);
            assertThat(rows.get(2)[0]).isEqualTo("text");
            assertThat((byte[]) rows.get(3)[0]).containsExactly(1, 2);
            assertThat((byte[]) rows.get(4)[0]).isEmpty();
            assertThat(rows.get(5)[0]).isNull();
        }
    }

    @Test
    void textComesBackExactlyIncludingEmptyNonAsciiAndEmbeddedNul() {
        String[] texts = {"", "a", "h\u00e9llo \u2713", "clef \uD834\uDD1E", "a\u0000b", "x".repeat(10_000)};
        try (EngineStatement ins = c.prepare("INSERT INTO t(v) VALUES (?)")) {
            for (String v : texts) {
                ins.bind(1, v);
                ins.execute();
            }
        }
        // Text that is not valid UTF-8 decodes with replacement characters rather than failing.
        c.exec("INSERT INTO t(v) VALUES (CAST(X'61FF62' AS TEXT))");
        try (EngineStatement s = c.prepare("SELECT v, typeof(v) FROM t ORDER BY id")) {
            List<Object[]> rows = new ArrayList<>();
            assertThat(s.start()).isTrue();
            assertThat(s.fetch(rows::add, 100)).isFalse();
            assertThat(rows).extracting(r -> r[1]).containsOnly("text");
            assertThat(rows).extracting(r -> r[0]).containsExactly(texts[0], texts[1], texts[2], texts[3], texts[4],
                    texts[5], "a\uFFFDb");
        }
    }

    @Test
    void aValueThatIsNotAStorageValueIsRefused() {
        try (EngineStatement s = c.prepare("INSERT INTO t(v) VALUES (?)")) {
            assertThatThrownBy(() -> s.bind(1, 7)).isInstanceOfSatisfying(SqliteException.class,
                    e -> assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_MISMATCH));
        }
    }

    @Test
    void executeReportsChangesOfThatStatementOnlyAndTheLastRowid() {
        try (EngineStatement ins = c.prepare("INSERT INTO t(v) VALUES (1), (2)")) {
            StatementResult r = ins.execute();
            assertThat(r.changes()).isEqualTo(2);
            assertThat(r.lastInsertRowid()).isEqualTo(2);
        }
        try (EngineStatement ddl = c.prepare("CREATE TABLE u(x)")) {
            assertThat(ddl.execute().changes()).as("DDL after an insert").isZero();
        }
        assertThat(c.totalChanges()).isEqualTo(2);
        assertThat(c.lastInsertRowid()).isEqualTo(2);
    }

    @Test
    void aBatchCountsTheChangesOfEverySet() {
        try (EngineStatement ins = c.prepare("INSERT INTO t(id, v) VALUES (?, ?)")) {
            StatementResult r = ins.executeBatch(List.of(new Object[] {5L, "a"}, new Object[] {6L, "b"}));
            assertThat(r.changes()).isEqualTo(2);
            assertThat(r.lastInsertRowid()).isEqualTo(6);
        }
    }

    @Test
    void metadataNamesParametersAndColumns() {
        try (EngineStatement s = c.prepare("SELECT id AS ident, v FROM t WHERE id = :id OR v = ?")) {
            assertThat(s.parameterCount()).isEqualTo(2);
            assertThat(s.parameterName(1)).isEqualTo(":id");
            assertThat(s.parameterName(2)).isNull();
            assertThat(s.columnCount()).isEqualTo(2);
            assertThat(s.columnName(0)).isEqualTo("ident");
            assertThat(s.declaredType(0)).isEqualTo("INTEGER");
            assertThat(s.declaredType(1)).isNull();
        }
    }

    @Test
    void failuresCarryPrimaryAndExtendedCodes() {
        c.exec("INSERT INTO t(id, v) VALUES (1, 'x')");
        try (EngineStatement s = c.prepare("INSERT INTO t(id, v) VALUES (1, 'y')")) {
            assertThatThrownBy(s::execute).isInstanceOfSatisfying(SqliteConstraintException.class, e -> {
                assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_CONSTRAINT);
                assertThat(e.extendedResultCode()).isEqualTo(1555); // SQLITE_CONSTRAINT_PRIMARYKEY
            });
        }
        assertThatThrownBy(() -> c.prepare("SELEC 1")).isInstanceOfSatisfying(SqliteException.class,
                e -> assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_ERROR))
                .hasMessageContaining("syntax error");
    }

    @Test
    void aStatementUsedAfterCloseFailsInsteadOfTouchingFreedMemory() {
        EngineStatement s = c.prepare("SELECT id FROM t WHERE id = ?");
        s.close();
        s.close();
        assertThat(s.isClosed()).isTrue();
        assertThatThrownBy(() -> s.bind(1, 1L)).isInstanceOf(SqliteException.class).hasMessageContaining("closed");
        assertThatThrownBy(s::start).isInstanceOf(SqliteException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> s.fetch(r -> { }, 1)).isInstanceOf(SqliteException.class);
        assertThatThrownBy(s::columnCount).isInstanceOf(SqliteException.class);
        assertThatThrownBy(s::execute).isInstanceOf(SqliteException.class);
    }

    @Test
    void everyEntryPointOfAStatementFinalizedMidIterationThrowsInsteadOfCrashing() {
        c.exec("INSERT INTO t(v) VALUES (1), (2), (3)");
        EngineStatement s = c.prepare("SELECT id, v FROM t WHERE id > ?");
        s.bind(1, 0L);
        assertThat(s.start()).isTrue();
        s.close();
        List<ThrowingCall> calls = List.of(() -> s.fetch(r -> { }, 1), () -> s.columnName(0), () -> s.declaredType(0),
                s::parameterCount, () -> s.bind(1, 1L), s::clearBindings, s::start, s::execute,
                () -> s.executeBatch(List.<Object[]>of(new Object[] {1L})));
        for (ThrowingCall call : calls) {
            assertThatThrownBy(call::run).isInstanceOf(SqliteException.class);
        }
        s.reset();
        assertThat(s.isClosed()).isTrue();
    }

    @Test
    void statementsOfAClosedConnectionThrowInsteadOfCrashing() {
        EngineStatement insert = c.prepare("INSERT INTO t(v) VALUES (?)");
        EngineStatement query = c.prepare("SELECT v FROM t");
        insert.bind(1, 1L);
        c.close();
        assertThat(insert.isClosed()).isTrue();
        assertThatThrownBy(insert::execute).isInstanceOf(SqliteException.class);
        assertThatThrownBy(() -> insert.executeBatch(List.<Object[]>of(new Object[] {2L})))
                .isInstanceOf(SqliteException.class);
        assertThatThrownBy(query::start).isInstanceOf(SqliteException.class);
        assertThatThrownBy(() -> query.fetch(r -> { }, 1)).isInstanceOf(SqliteException.class);
        insert.close();
        query.close();
        c = SqliteJdbcEngine.INSTANCE.open(ConnectionOptions.of(dir.resolve("e.db").toString()));
    }

    @Test
    void aStepErrorThatMakesSqliteJdbcFinalizeTheStatementLeavesItThrowingNotCrashing() {
        // Integer overflow in abs() fails the step with SQLITE_ERROR, after which sqlite-jdbc finalizes the statement.
        EngineStatement s = c.prepare("SELECT abs(?)");
        s.bind(1, Long.MIN_VALUE);
        assertThatThrownBy(s::start).isInstanceOf(SqliteException.class).hasMessageContaining("integer overflow");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(s::start).isInstanceOf(SqliteException.class);
            assertThatThrownBy(() -> s.fetch(r -> { }, 1)).isInstanceOf(SqliteException.class);
            assertThatThrownBy(s::execute).isInstanceOf(SqliteException.class);
        }
        s.close();
        try (EngineStatement ok = c.prepare("SELECT abs(?)")) {
            ok.bind(1, -5L);
            List<Object[]> rows = new ArrayList<>();
            assertThat(ok.start()).isTrue();
            ok.fetch(rows::add, 10);
            assertThat(rows).singleElement().satisfies(r -> assertThat(r).containsExactly(5L));
        }
    }

    @Test
    void aParameterIndexOutOfRangeIsRefusedAndTheStatementStaysUsable() {
        try (EngineStatement s = c.prepare("SELECT ?")) {
            for (int bad : new int[] {0, 2, -1}) {
                assertThatThrownBy(() -> s.bind(bad, 1L)).isInstanceOfSatisfying(SqliteException.class,
                        e -> assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_RANGE));
            }
            s.bind(1, "x");
            List<Object[]> rows = new ArrayList<>();
            assertThat(s.start()).isTrue();
            s.fetch(rows::add, 10);
            assertThat(rows).singleElement().satisfies(r -> assertThat(r).containsExactly("x"));
        }
    }

    /** A call on a statement, expected to throw. */
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void closingTheConnectionReleasesTheHandleEvenWithARunningStatement() {
        c.exec("INSERT INTO t(v) VALUES (1), (2)");
        EngineStatement s = c.prepare("SELECT v FROM t");
        assertThat(s.start()).isTrue();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThatThrownBy(() -> s.fetch(r -> { }, 1)).isInstanceOf(SqliteException.class);
        c = SqliteJdbcEngine.INSTANCE.open(ConnectionOptions.of(dir.resolve("e.db").toString()));
    }

    @Test
    void theRawJdbcConnectionIsOfferedAndNothingElse() {
        assertThat(SqliteJdbcEngine.INSTANCE.capabilities().has(Capability.JDBC_CONNECTION)).isTrue();
        assertThat(c.unwrap(Connection.class)).isNotNull();
        assertThatThrownBy(() -> c.unwrap(String.class)).isInstanceOf(SqliteException.class);
    }

    @Test
    void interruptFromAnotherThreadStopsARunningStatement() throws Exception {
        try (EngineStatement s = c.prepare(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n")) {
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            c.setProgressHandler(1000, () -> {
                running.countDown();
                return false;
            });
            Thread t = new Thread(() -> {
                try {
                    running.await();
                } catch (InterruptedException e) {
                    return;
                }
                c.interrupt();
            });
            t.start();
            assertThatThrownBy(s::start).isInstanceOfSatisfying(SqliteException.class,
                    e -> assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_INTERRUPT));
            t.join();
        }
    }
}
