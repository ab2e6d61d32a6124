package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge cases of caller context and deadlines: extreme durations, a context that cannot be installed. */
class ContextDeadlineEdgesIT {
    static final ThreadLocal<String> TENANT = new ThreadLocal<>();

    @TempDir
    Path dir;
    AsyncConnection db;
    ExecutorService other;

    @BeforeEach
    void open() {
        db = AsyncConnection.open(dir.resolve("edges.db").toString()).join();
        other = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void close() {
        db.close();
        other.shutdownNow();
        ContextPropagation.unregister(TENANT);
        TENANT.remove();
    }

    @Test
    void aDeadlineTooLargeForNanosMeansNoPracticalLimit() {
        // Duration.toNanos() overflows past ~292 years; such a timeout is how callers say "forever".
        Integer v = Deadline.within(Duration.ofSeconds(Long.MAX_VALUE), () -> {
            assertThat(Deadline.remaining()).isGreaterThan(Duration.ofDays(365));
            return db.run(c -> 1);
        }).join();
        assertThat(v).isEqualTo(1);
        assertThat(Deadline.remaining()).isNull();
    }

    @Test
    void aNegativeDeadlineTooLargeForNanosHasPassedAlready() {
        assertThatThrownBy(() -> Deadline.within(Duration.ofSeconds(Long.MIN_VALUE), () -> db.run(c -> 1)).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(SqliteTimeoutException.class);
        assertThat(Deadline.remaining()).isNull();
    }

    @Test
    void aContextThatFailsToInstallLeavesNothingBehindOnTheWorker() throws Exception {
        ContextPropagation.register(TENANT);
        ThreadLocalAccessor<String> broken = new ThreadLocalAccessor<>() {
            @Override
            public Object key() {
                return "edges.broken";
            }

            @Override
            public String getValue() {
                return "present";
            }

            @Override
            public void setValue(String value) {
                throw new IllegalStateException("cannot install");
            }

            @Override
            public void setValue() {
                // nothing to clear
            }
        };
        ContextRegistry.getInstance().registerThreadLocalAccessor(broken);
        try {
            TENANT.set("leaked");
            assertThatThrownBy(() -> db.run(c -> TENANT.get()).join())
                    .hasRootCauseInstanceOf(IllegalStateException.class);
            TENANT.remove();
        } finally {
            ContextRegistry.getInstance().removeThreadLocalAccessor("edges.broken");
        }
        // The worker must not keep the failed call's value: a later call that carries nothing (the local is no longer
        // registered, so nothing overwrites it) would see it, and the worker would hold it forever.
        ContextPropagation.unregister(TENANT);
        String next = other.submit(() -> db.run(c -> String.valueOf(TENANT.get())).join()).get();
        assertThat(next).isEqualTo("null");
    }

    @Test
    void everyPageOfAStreamSeesTheSubscribersContext() throws Exception {
        ContextPropagation.register(TENANT);
        AsyncConnection small = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("stream.db").toString())
                .prefetch(2).build()).join();
        try {
            small.createFunction("tenant", 0, args -> String.valueOf(TENANT.get())).join();
            List<String> seen = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            other.submit(() -> {
                TENANT.set("acme");
                try {
                    small.stream("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10)"
                            + " SELECT tenant() FROM c").subscribe(new Flow.Subscriber<Row>() {
                                @Override
                                public void onSubscribe(Flow.Subscription s) {
                                    s.request(Long.MAX_VALUE);
                                }

                                @Override
                                public void onNext(Row item) {
                                    seen.add(item.getString(0));
                                }

                                @Override
                                public void onError(Throwable t) {
                                    done.completeExceptionally(t);
                                }

                                @Override
                                public void onComplete() {
                                    done.complete(null);
                                }
                            });
                } finally {
                    TENANT.remove();
                }
            }).get();
            done.join();
            assertThat(seen).hasSize(10).containsOnly("acme");
        } finally {
            small.close();
        }
    }
}
