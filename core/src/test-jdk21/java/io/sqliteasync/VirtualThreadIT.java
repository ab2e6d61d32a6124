package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
     * Slow queries waited on by virtual threads must not hold carrier threads: a 5 ms ticker on another virtual
     * thread keeps ticking. The surefire profile runs this JVM with a virtual-thread scheduler of 2 carriers, fewer
     * than the 4 waiting queries, so pinned carriers would stall the ticker for a whole query.
     */
    @Test
    void slowQueriesDoNotStallOtherVirtualThreads() throws Exception {
        List<AsyncConnection> conns = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            conns.add(AsyncConnection.open(":memory:").join());
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong worstGapNanos = new AtomicLong();
        try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> ticker = vts.submit(() -> {
                long last = System.nanoTime();
                while (running.get()) {
                    Thread.sleep(5);
                    long now = System.nanoTime();
                    worstGapNanos.accumulateAndGet(now - last, Math::max);
                    last = now;
                }
                return null;
            });
            List<Future<Long>> queries = new ArrayList<>();
            for (AsyncConnection c : conns) {
                queries.add(vts.submit(() -> c.blocking().fetchOne(
                        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) "
                                + "SELECT count(*) FROM c").getLong(0)));
            }
            long queryStart = System.nanoTime();
            for (Future<Long> q : queries) {
                assertThat(q.get(120, TimeUnit.SECONDS)).isEqualTo(3_000_000L);
            }
            long queryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - queryStart);
            running.set(false);
            ticker.get(10, TimeUnit.SECONDS);
            long worstMillis = TimeUnit.NANOSECONDS.toMillis(worstGapNanos.get());
            // Generous bound for a shared 2-core CI machine; pinned carriers would stall for about queryMillis.
            assertThat(worstMillis).as("worst ticker gap while queries ran for %d ms", queryMillis)
                    .isLessThan(Math.max(100, queryMillis / 3));
        } finally {
            conns.forEach(AsyncConnection::close);
        }
    }
}
