package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cursor or stream that is never closed keeps its statement active, and {@code DROP TABLE} on the same connection
 * then fails with SQLITE_LOCKED: the error names the open cursors, and a cursor nobody references any more is closed
 * by the worker.
 */
class AbandonedCursorIT {
    private static final String PROPERTY = "sqliteasync.cursorOrigin";
    /** 243 rows: more than one prefetch batch (64), so a stream's statement stays active after its first batch. */
    private static final String MANY = "SELECT t.x FROM t, t AS a, t AS b, t AS c, t AS d WHERE t.x > 0";

    @TempDir
    Path dir;

    private AsyncConnection open(String name) {
        AsyncConnection c = AsyncConnection.open(dir.resolve(name).toString()).join();
        c.executeScript("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)").join();
        return c;
    }

    @Test
    void dropTableAfterAnUnclosedStreamNamesTheStreamsSql() {
        try (AsyncConnection c = open("s.db")) {
            Stream<Row> rows = c.blocking().stream(MANY);
            Iterator<Row> it = rows.iterator();
            assertThat(it.next().getLong(0)).isEqualTo(1);
            assertThatThrownBy(() -> c.blocking().execute("DROP TABLE t"))
                    .isInstanceOfSatisfying(SqliteBusyException.class,
                            e -> assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_LOCKED))
                    .hasMessageContaining("table is locked")
                    .hasMessageContaining("1 open cursor")
                    .hasMessageContaining("'" + MANY + "'")
                    .hasMessageContaining("-D" + PROPERTY + "=frame")
                    .hasMessageContaining("[SQL: DROP TABLE t]");
            rows.close();
            c.blocking().execute("DROP TABLE t");
        }
    }

    @Test
    void withOriginCaptureOnTheMessageSaysWhereEachCursorWasOpened() {
        String before = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, "frame");
        try (AsyncConnection c = open("o.db")) {
            Cursor first = c.cursor("SELECT x FROM t").join();
            Cursor second = c.cursor("SELECT x * 2 FROM t").join();
            assertThat(first.fetchOne().join()).isNotNull();
            assertThat(second.fetchOne().join()).isNotNull();
            assertThatThrownBy(() -> c.execute("DROP TABLE t").join())
                    .cause()
                    .isInstanceOf(SqliteBusyException.class)
                    .hasMessageContaining("2 open cursors")
                    .hasMessageContaining("'SELECT x FROM t'")
                    .hasMessageContaining("'SELECT x * 2 FROM t'")
                    .hasMessageContaining("opened at " + getClass().getName()
                            + ".withOriginCaptureOnTheMessageSaysWhereEachCursorWasOpened(AbandonedCursorIT.java:");
            first.close();
            second.close();
            c.execute("DROP TABLE t").join();
        } finally {
            if (before == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, before);
            }
        }
    }

    @Test
    void anErrorOtherThanALockSaysNothingAboutCursors() {
        try (AsyncConnection c = open("n.db")) {
            Cursor open = c.cursor("SELECT x FROM t").join();
            assertThatThrownBy(() -> c.execute("INSERT INTO missing VALUES (1)").join())
                    .cause().hasMessageContaining("no such table").hasMessageNotContaining("open cursor");
            open.close();
        }
    }

    @Test
    void anUnreachableCursorIsClosedOnTheWorkerSoDropTableSucceeds() {
        try (AsyncConnection c = open("u.db")) {
            abandonCursor(c);
            awaitDropSucceeds(c);
        }
    }

    @Test
    void anUnreachableUnclosedStreamIsClosedOnTheWorkerSoDropTableSucceeds() {
        try (AsyncConnection c = open("v.db")) {
            abandonStream(c);
            awaitDropSucceeds(c);
        }
    }

    @Test
    void anUnreachableSubscriptionIsClosedOnTheWorkerSoDropTableSucceeds() throws Exception {
        try (AsyncConnection c = open("w.db")) {
            abandonSubscription(c);
            awaitDropSucceeds(c);
        }
    }

    @Test
    void aCursorClosedBeforeItBecameUnreachableLeavesItsStatementToTheCache() {
        try (AsyncConnection c = open("c.db")) {
            for (int i = 0; i < 200; i++) {
                try (Cursor cursor = c.cursor("SELECT x FROM t").join()) {
                    assertThat(cursor.fetchOne().join().getLong(0)).isEqualTo(1);
                }
            }
            System.gc();
            assertThat(c.fetchAll("SELECT x FROM t").join()).hasSize(3);
            c.execute("DROP TABLE t").join();
        }
    }

    /** In its own method so that no local variable of the test keeps the cursor reachable. */
    private static void abandonCursor(AsyncConnection c) {
        Cursor cursor = c.cursor("SELECT x FROM t").join();
        assertThat(cursor.fetchOne().join().getLong(0)).isEqualTo(1);
    }

    private static void abandonStream(AsyncConnection c) {
        Iterator<Row> it = c.blocking().stream(MANY).iterator();
        assertThat(it.next().getLong(0)).isEqualTo(1);
    }

    private static void abandonSubscription(AsyncConnection c) throws Exception {
        java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);
        c.stream(MANY).subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(1);
            }

            @Override
            public void onNext(Row item) {
                first.countDown();
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        });
        assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * Collects garbage until the cleaner has queued the close and DROP TABLE goes through. The bound only catches a
     * cursor that is never closed.
     */
    private static void awaitDropSucceeds(AsyncConnection c) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        SqliteException last = null;
        while (System.nanoTime() - end < 0) {
            System.gc();
            try {
                c.blocking().execute("DROP TABLE t");
                return;
            } catch (SqliteBusyException e) {
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail("the abandoned cursor was never closed", last);
    }
}
