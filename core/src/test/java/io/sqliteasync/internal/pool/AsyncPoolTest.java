package io.sqliteasync.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.SqliteTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsyncPoolTest {
    @Test
    void grantsInRequestOrder() {
        AsyncPool<String> pool = new AsyncPool<>("the writer", List.of("w"));
        assertThat(pool.acquire(Duration.ZERO).join()).isEqualTo("w");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            pool.acquire(Duration.ZERO).thenAccept(r -> {
                order.add(n);
                pool.release(r);
            });
        }
        assertThat(pool.queueLength()).isEqualTo(50);
        pool.release("w");
        assertThat(order).hasSize(50).isSorted();
        assertThat(pool.busy()).isZero();
        assertThat(pool.counters().get(0)).isEqualTo(51L);
    }

    @Test
    void aLongChainOfInlineHandOffsDoesNotGrowTheStack() {
        AsyncPool<String> pool = new AsyncPool<>("the writer", List.of("w"));
        String held = pool.acquire(Duration.ZERO).join();
        int n = 200_000;
        CompletableFuture<?>[] all = new CompletableFuture<?>[n];
        for (int i = 0; i < n; i++) {
            all[i] = pool.acquire(Duration.ZERO).thenAccept(pool::release);
        }
        pool.release(held);
        CompletableFuture.allOf(all).join();
        assertThat(pool.busy()).isZero();
    }

    @Test
    void timesOutWithAClearMessageAndLeavesTheQueue() {
        AsyncPool<String> pool = new AsyncPool<>("a reader", List.of("r1", "r2"));
        pool.acquire(Duration.ZERO).join();
        pool.acquire(Duration.ZERO).join();
        CompletableFuture<String> waiting = pool.acquire(Duration.ofMillis(50));
        assertThat(waiting).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                .withCauseInstanceOf(SqliteTimeoutException.class)
                .withMessageContaining("could not acquire a reader within 50 ms: all 2 busy");
        assertThat(pool.queueLength()).isZero();
        assertThat(pool.counters().get(3)).isEqualTo(1L);
    }

    @Test
    void aCancelledRequestIsSkipped() {
        AsyncPool<String> pool = new AsyncPool<>("the writer", List.of("w"));
        String held = pool.acquire(Duration.ZERO).join();
        CompletableFuture<String> cancelled = pool.acquire(Duration.ofSeconds(30));
        CompletableFuture<String> next = pool.acquire(Duration.ZERO);
        cancelled.cancel(false);
        assertThat(pool.queueLength()).isEqualTo(1);
        pool.release(held);
        assertThat(next.join()).isEqualTo("w");
        assertThat(cancelled).isCancelled();
        assertThat(pool.busy()).isEqualTo(1);
    }
}
