package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A completion executor that throws: the call still completes and the worker lives on. */
class CompletionExecutorIT {
    @TempDir
    Path dir;
    AsyncConnection db;

    @BeforeEach
    void open() {
        db = AsyncConnection.open(dir.resolve("w.db").toString()).join();
        db.executeScript("CREATE TABLE n(id INTEGER PRIMARY KEY, v INTEGER);"
                + "INSERT INTO n(v) VALUES (1), (2), (3), (4), (5);").join();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void completionExecutorThatThrowsDoesNotStrandTheCallOrKillTheWorker() {
        AtomicBoolean broken = new AtomicBoolean();
        Executor flaky = task -> {
            if (broken.get()) {
                throw new IllegalStateException("event loop gone");
            }
            task.run();
        };
        try (AsyncConnection c = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("x.db").toString())
                .completionExecutor(flaky).build()).join()) {
            broken.set(true);
            CompletableFuture<Row> first = c.fetchOne("SELECT 1");
            assertThat(first.orTimeout(5, TimeUnit.SECONDS).join().getLong(0)).isEqualTo(1);
            assertThat(c.fetchOne("SELECT 2").orTimeout(5, TimeUnit.SECONDS).join().getLong(0)).isEqualTo(2);
            assertThat(c.isClosed()).isFalse();
        }
    }
}
