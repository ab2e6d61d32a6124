package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blocking view on virtual threads (JDK 21+ only; this source folder is compiled only there). */
class VirtualThreadIT {
    @TempDir
    Path dir;

    @Test
    void thousandVirtualThreadsShareOneConnection() throws Exception {
        try (AsyncConnection db = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("v.db").toString())
                .pragma("synchronous", "OFF").build()).join();
                ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            BlockingConnection b = db.blocking();
            b.execute("CREATE TABLE t(caller INTEGER, n INTEGER)");
            List<Future<Long>> results = new ArrayList<>();
            for (int c = 0; c < 1000; c++) {
                int caller = c;
                results.add(vts.submit(() -> {
                    for (int n = 0; n < 5; n++) {
                        b.execute("INSERT INTO t VALUES (?, ?)", caller, n);
                    }
                    return b.fetchOne("SELECT count(*) FROM t WHERE caller = ?", caller).getLong(0);
                }));
            }
            for (Future<Long> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(5L);
            }
            assertThat(b.fetchOne("SELECT count(*) FROM t").getLong(0)).isEqualTo(5000L);
        }
    }

    /**
     * Slow queries waited on by virtual threads must not hold carrier threads. The surefire profile runs this JVM
     * with a virtual-thread scheduler of 2 carriers, fewer than the 4 waiting queries. Each query, once SQLite runs
     * it, waits inside a function until a virtual thread started only after all four callers are waiting has run:
     * pinned carriers would leave that thread no carrier, and every query would hang until the 60 s bound.
     */
    @Test
    void slowQueriesDoNotStallOtherVirtualThreads() throws Exception {
        List<AsyncConnection> conns = new ArrayList<>();
        CountDownLatch entered = new CountDownLatch(4);
        CountDownLatch otherThreadRan = new CountDownLatch(1);
        for (int i = 0; i < 4; i++) {
            AsyncConnection c = AsyncConnection.open(":memory:").join();
            conns.add(c);
            c.createFunction("waitForOthers", 1, args -> {
                entered.countDown();
                if (!otherThreadRan.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no virtual thread ran while the queries' callers waited");
                }
                return args[0];
            }).join();
        }
        try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> queries = new ArrayList<>();
            for (AsyncConnection c : conns) {
                queries.add(vts.submit(() -> c.blocking().fetchOne(
                        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) "
                                + "SELECT count(CASE WHEN x = 1500000 THEN waitForOthers(x) ELSE x END) FROM c")
                        .getLong(0)));
            }
            // All four callers are now parked in the blocking view, their queries inside SQLite.
            assertThat(entered.await(60, TimeUnit.SECONDS)).as("all four queries started").isTrue();
            Future<?> other = vts.submit(otherThreadRan::countDown);
            other.get(60, TimeUnit.SECONDS);
            for (Future<Long> q : queries) {
                assertThat(q.get(120, TimeUnit.SECONDS)).isEqualTo(3_000_000L);
            }
        } finally {
            conns.forEach(AsyncConnection::close);
        }
    }
}
