package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection on a table {@code t(id, v UNIQUE)} for tests of bad or unusual input: after every test the
 * connection must still write, and no transaction may be left open.
 */
abstract class StaysUsableCase {
    @TempDir
    Path dir;
    AsyncConnection db;

    @BeforeEach
    void open() {
        db = AsyncConnection.open(dir.resolve("s.db").toString()).join();
        db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v UNIQUE)").join();
    }

    @AfterEach
    void close() {
        if (db != null) {
            long before = count();
            db.execute("INSERT INTO t(v) VALUES ('still usable')").join();
            assertThat(count()).isEqualTo(before + 1);
            assertThat(db.isInTransaction().join()).isFalse();
            db.close();
        }
    }

    long count() {
        return db.fetchOne("SELECT count(*) FROM t").join().getLong(0);
    }

    static SqliteException failure(CompletableFuture<?> f) {
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
        assertThat(e.getCause()).isInstanceOf(SqliteException.class);
        return (SqliteException) e.getCause();
    }
}
