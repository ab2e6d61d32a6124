package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/** Caller context reaches the worker for the command and its callbacks, and never the next command. */
class ContextPropagationIT {
    static final ThreadLocal<String> TENANT = new ThreadLocal<>();

    @TempDir
    Path dir;
    AsyncConnection db;
    ExecutorService other;
    Slf4jThreadLocalAccessor mdcAccessor;

    @BeforeEach
    void open() {
        ContextPropagation.register(TENANT);
        mdcAccessor = new Slf4jThreadLocalAccessor();
        ContextRegistry.getInstance().registerThreadLocalAccessor(mdcAccessor);
        db = AsyncConnection.open(dir.resolve("ctx.db").toString()).join();
        other = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void close() {
        db.close();
        other.shutdownNow();
        ContextPropagation.unregister(TENANT);
        ContextRegistry.getInstance().removeThreadLocalAccessor((String) mdcAccessor.key());
        TENANT.remove();
        MDC.clear();
    }

    private String seen() {
        return TENANT.get() + "/" + MDC.get("request");
    }

    @Test
    void threadLocalAndMdcAreVisibleInTheCommandAndAbsentInTheNext() throws Exception {
        db.createFunction("ctx", 0, args -> seen()).join();
        // Submit from another thread that holds the context, so the worker cannot see it by accident.
        String inside = other.submit(() -> {
            TENANT.set("acme");
            MDC.put("request", "r-1");
            try {
                return db.fetchOne("SELECT ctx()").join().getString(0) + " " + db.run(c -> seen()).join();
            } finally {
                TENANT.remove();
                MDC.clear();
            }
        }).get();
        assertThat(inside).isEqualTo("acme/r-1 acme/r-1");
        String next = other.submit(() -> db.run(c -> seen()).join() + " " + db.fetchOne("SELECT ctx()").join()
                .getString(0)).get();
        assertThat(next).isEqualTo("null/null null/null");
    }

    @Test
    void contextIsVisibleInsideAnAsyncFunction() throws Exception {
        AtomicReference<String> inFunction = new AtomicReference<>();
        db.createFunction("remote", 0, args -> {
            inFunction.set(seen());
            // Work handed to another thread carries the context when wrapped.
            return CompletableFuture.supplyAsync(this::seen, ContextPropagation.wrap(other));
        }).join();
        TENANT.set("globex");
        MDC.put("request", "r-2");
        String fromStage = db.fetchOne("SELECT remote()").join().getString(0);
        TENANT.remove();
        MDC.clear();
        assertThat(inFunction.get()).isEqualTo("globex/r-2");
        assertThat(fromStage).isEqualTo("globex/r-2");
        assertThat(db.fetchOne("SELECT remote()").join().getString(0)).isEqualTo("null/null");
    }

    @Test
    void wrappedSupplierAndCallableRunWithTheWrappingThreadsContextAndRestoreTheRunningThreads() throws Exception {
        TENANT.set("initech");
        java.util.function.Supplier<String> supplier = ContextPropagation.wrapSupplier(
                () -> TENANT.get() + " " + db.run(c -> TENANT.get()).join());
        java.util.concurrent.Callable<String> callable = ContextPropagation.wrapCallable(TENANT::get);
        TENANT.remove();
        assertThat(CompletableFuture.supplyAsync(supplier).get(60, java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo("initech initech");
        assertThat(other.submit(() -> {
            TENANT.set("own");
            try {
                return callable.call() + " " + TENANT.get();
            } finally {
                TENANT.remove();
            }
        }).get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("initech own");
    }

    @Test
    void wrappedCallablePassesOnWhatTheCallableThrows() {
        java.util.concurrent.Callable<String> failing = ContextPropagation.wrapCallable(() -> {
            throw new java.io.IOException("no network");
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(failing::call)
                .isInstanceOf(java.io.IOException.class).hasMessage("no network");
    }

    @Test
    void workerRestoresWhatItHeldBefore() {
        TENANT.set("first");
        db.run(c -> null).join();
        TENANT.set("second");
        assertThat(db.run(c -> TENANT.get()).join()).isEqualTo("second");
        TENANT.remove();
        assertThat(db.run(c -> TENANT.get()).join()).isNull();
    }
}
