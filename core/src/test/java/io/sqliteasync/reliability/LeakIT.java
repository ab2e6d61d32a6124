package io.sqliteasync.reliability;

import static io.sqliteasync.reliability.Reliability.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.Cursor;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leaks: open/close loops of {@link AsyncConnection} and {@link Database} that leave cursors, reactive streams and
 * blocking streams open (never closed, never cancelled, part-read) when the connection closes. Afterwards the
 * library's threads and the open file descriptors are back at their baseline, exactly (the baseline is taken after
 * one warm-up round, so one-time class and native-library loading is not counted).
 */
class LeakIT {
    private static final String CHECK = "LeakIT";

    @TempDir
    Path dir;

    private void connectionRound(int i) {
        AsyncConnection c = await(AsyncConnection.open(dir.resolve("leak-c" + i + ".db").toString()), "open");
        await(c.executeScript("CREATE TABLE IF NOT EXISTS t(v);"
                + "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 500) INSERT INTO t SELECT x FROM s;"), "fill");
        Cursor cursor = await(c.cursor("SELECT v FROM t"), "cursor");
        await(cursor.fetchMany(3), "fetch");                         // left open, part-read
        await(c.cursor("SELECT v FROM t WHERE v > ?", 10), "cursor 2"); // never read
        c.stream("SELECT v FROM t").subscribe(new Flow.Subscriber<Row>() {   // requests 1 row, never cancels
            public void onSubscribe(Flow.Subscription s) {
                s.request(1);
            }

            public void onNext(Row item) {
            }

            public void onError(Throwable t) {
            }

            public void onComplete() {
            }
        });
        Stream<Row> rows = c.blocking().stream("SELECT v FROM t");   // blocking stream, part-read, never closed
        Iterator<Row> it = rows.iterator();
        it.next();
        c.blocking().cursor("SELECT v FROM t").fetchOne();            // blocking cursor, never closed
        if (i % 2 == 0) {
            c.close();
        } else {
            await(c.closeAsync(), "closeAsync");
        }
    }

    private void databaseRound(int i) {
        Database db = await(Database.open(DatabaseOptions.builder(dir.resolve("leak-d" + i + ".db").toString())
                .readers(2).build()), "open");
        await(db.executeScript("CREATE TABLE IF NOT EXISTS t(v);"
                + "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 500) INSERT INTO t SELECT x FROM s;"), "fill");
        Cursor cursor = await(db.cursor("SELECT v FROM t"), "cursor");
        await(cursor.fetchMany(2), "fetch");
        db.stream("SELECT v FROM t").subscribe(new Flow.Subscriber<Row>() {
            public void onSubscribe(Flow.Subscription s) {
                s.request(2);
            }

            public void onNext(Row item) {
            }

            public void onError(Throwable t) {
            }

            public void onComplete() {
            }
        });
        await(db.read(s -> s.cursor("SELECT v FROM t").thenCompose(cur -> cur.fetchOne())), "read scope cursor");
        await(db.transaction(tx -> tx.cursor("SELECT v FROM t").thenCompose(cur -> cur.fetchOne())), "tx cursor");
        if (i % 2 == 0) {
            db.close();
        } else {
            await(db.closeAsync(), "closeAsync");
        }
    }

    @Test
    void openCloseLoopsWithOpenCursorsAndStreamsLeaveNoThreadsOrFileDescriptors() {
        if (!Reliability.canCountFds()) {
            // Not Linux: without /proc/self/fd only the thread comparison can be made.
            Reliability.report(CHECK, "/proc/self/fd is missing: file descriptors are NOT compared on this platform");
        }
        connectionRound(-1);
        databaseRound(-1);
        Set<Thread> threads = Reliability.workerThreads();
        int fds = Reliability.openFds();
        List<String> fdList = Reliability.fdTargets();
        int rounds = Reliability.size(20, 500);
        for (int i = 0; i < rounds; i++) {
            connectionRound(i);
            databaseRound(i);
        }
        Set<String> leaked = Reliability.newWorkerThreads(threads);
        int fdDelta = Reliability.canCountFds() ? Reliability.fdsSettledTo(fds, 10) - fds : 0;
        List<String> after = Reliability.fdTargets();
        List<String> extra = new ArrayList<>(after);
        extra.removeAll(fdList);
        List<String> gone = new ArrayList<>(fdList);
        gone.removeAll(after);
        extra.add("closed since the baseline: " + gone);
        Reliability.report(CHECK, rounds + " rounds each of AsyncConnection and Database: leaked threads " + leaked
                + ", fd delta " + fdDelta);
        assertThat(leaked).as("library threads alive after %d rounds", rounds).isEmpty();
        // At or below the baseline: below it, another JVM thread held a descriptor for a moment when it was taken.
        assertThat(fdDelta).as("file descriptors after %d rounds, new ones: %s", rounds, extra).isLessThanOrEqualTo(0);
    }
}
