package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the bundled SQLite offers: FTS5, JSON, R*Tree, and shared-cache in-memory databases. */
class BundledSqliteIT {
    @TempDir
    Path dir;

    @Test
    void fts5FullTextSearchWorks() {
        try (AsyncConnection c = AsyncConnection.open(dir.resolve("f.db").toString()).join()) {
            c.execute("CREATE VIRTUAL TABLE docs USING fts5(body)").join();
            c.execute("INSERT INTO docs(body) VALUES ('the quick brown fox'), ('a lazy dog')").join();

            assertThat(c.fetchOne("SELECT body FROM docs WHERE docs MATCH 'quick'").join().getString(0))
                    .isEqualTo("the quick brown fox");
        }
    }

    @Test
    void jsonFunctionsWork() {
        try (AsyncConnection c = AsyncConnection.open(dir.resolve("j.db").toString()).join()) {
            assertThat(c.fetchOne("SELECT json_extract(?, '$.a.b')", "{\"a\":{\"b\":7}}").join().getLong(0))
                    .isEqualTo(7);
            assertThat(c.fetchOne("SELECT count(*) FROM json_each('[1,2,3]')").join().getLong(0)).isEqualTo(3);
        }
    }

    @Test
    void rtreeIndexWorks() {
        try (AsyncConnection c = AsyncConnection.open(dir.resolve("r.db").toString()).join()) {
            c.execute("CREATE VIRTUAL TABLE boxes USING rtree(id, minX, maxX, minY, maxY)").join();
            c.execute("INSERT INTO boxes VALUES (1, 0, 10, 0, 10), (2, 20, 30, 20, 30)").join();

            assertThat(c.fetchOne("SELECT id FROM boxes WHERE minX <= 5 AND maxX >= 5 AND minY <= 5 AND maxY >= 5")
                    .join().getLong(0)).isEqualTo(1);
        }
    }

    @Test
    void sharedCacheMemoryDatabaseIsSharedBetweenConnections() {
        String uri = "file:ops-shared-" + System.nanoTime() + "?mode=memory&cache=shared";
        try (AsyncConnection a = AsyncConnection.open(uri).join();
                AsyncConnection b = AsyncConnection.open(uri).join()) {
            a.execute("CREATE TABLE t(x)").join();
            a.execute("INSERT INTO t VALUES (1)").join();

            assertThat(b.fetchOne("SELECT x FROM t").join().getLong(0)).isEqualTo(1);
        }
        // The database lives while a connection to it is open: a new one starts empty.
        try (AsyncConnection c = AsyncConnection.open(uri).join()) {
            assertThat(c.fetchOne("SELECT count(*) FROM sqlite_master").join().getLong(0)).isZero();
        }
    }

    @Test
    void plainMemoryDatabasesAreNotShared() {
        try (AsyncConnection a = AsyncConnection.open(":memory:").join();
                AsyncConnection b = AsyncConnection.open(":memory:").join()) {
            a.execute("CREATE TABLE t(x)").join();

            assertThat(b.fetchOne("SELECT count(*) FROM sqlite_master").join().getLong(0)).isZero();
        }
    }
}
