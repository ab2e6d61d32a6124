package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cursor fetches: a fetch that times out mid-batch, and inline calls running the SQL of an open cursor. */
class CursorFetchIT {
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
    void timedOutFetchDoesNotSilentlySkipRows() {
        // A function that lets the fetch's deadline pass while SQLite steps too few VM steps for the handler to see it.
        db.createFunction("pause", 1, args -> {
            if ((Long) args[0] == 2L) {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150);
                while (System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
            }
            return args[0];
        }).join();
        Cursor c = db.cursor("SELECT pause(v) FROM n ORDER BY id").join();
        assertThat(c.fetchOne().join().getLong(0)).isEqualTo(1);
        CompletableFuture<List<Row>> timed = Deadline.within(Duration.ofMillis(50), () -> c.fetchMany(2));
        assertThatThrownBy(timed::join).hasCauseInstanceOf(SqliteTimeoutException.class);
        // Either the cursor is unusable now, or it still delivers rows 2 and 3: never row 4 as if 2 and 3 never existed.
        CompletableFuture<Row> next = c.fetchOne();
        assertThat(next.handle((row, t) -> row == null ? "failed" : String.valueOf(row.getLong(0))).join())
                .isIn("failed", "2");
        c.close();
    }

    @Test
    void innerInlineCallWithTheSameSqlAsAnOpenCursor() {
        Cursor c = db.cursor("SELECT v FROM n ORDER BY id").join();
        assertThat(c.fetchMany(2).join()).extracting(r -> r.getLong(0)).containsExactly(1L, 2L);
        List<Long> inner = db.run(conn -> db.fetchAll("SELECT v FROM n ORDER BY id").join()).join()
                .stream().map(r -> r.getLong(0)).toList();
        assertThat(inner).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(c.fetchAll().join()).extracting(r -> r.getLong(0)).containsExactly(3L, 4L, 5L);
        assertThat(db.fetchAll("SELECT v FROM n ORDER BY id").join()).hasSize(5);
    }
}
