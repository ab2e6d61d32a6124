package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DatabaseTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL text with a NUL character is refused with a message that names it, the connection stays usable, and closing
 * it releases the native handle and its locks (sqlite-jdbc cannot finalize the empty statement such text prepares to,
 * and used to give up closing the handle because of it).
 */
class NulInSqlTextIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"\0", " \0", ";\0", "/* c */\0", "SELECT 1\0; DROP TABLE t"})
    void isRefusedAndClosingReleasesTheHandleAndItsLock(String sql) throws Exception {
        String path = dir.resolve("n.db").toString();
        AsyncConnection c = await(AsyncConnection.open(path));
        await(c.execute("CREATE TABLE IF NOT EXISTS t(x)"));
        await(c.executeScript("BEGIN IMMEDIATE; INSERT INTO t VALUES (1)"));
        for (java.util.concurrent.CompletableFuture<?> f : java.util.List.of(c.fetchAll(sql), c.execute(sql),
                c.fetchOne(sql), c.executeScript(sql), c.cursor(sql))) {
            Throwable e = failure(f);
            assertThat(e).isInstanceOf(SqliteException.class).hasMessageContaining("NUL");
            assertThat(((SqliteException) e).resultCode()).isEqualTo(SqliteException.SQLITE_MISUSE);
        }
        assertThat(await(c.fetchOne("SELECT count(*) FROM t")).getLong(0)).isEqualTo(1);
        c.close();
        // The uncommitted transaction died with the handle: another connection writes at once, without waiting for
        // a lock that a leaked handle would hold until the JVM exits.
        ConnectionOptions quick = ConnectionOptions.builder(path).busyTimeout(Duration.ofMillis(1)).build();
        try (AsyncConnection other = await(AsyncConnection.open(quick))) {
            await(other.execute("INSERT INTO t VALUES (2)"));
            assertThat(await(other.fetchOne("SELECT count(*) FROM t")).getLong(0)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\0", "SELECT 1\0"})
    void isRefusedByADatabaseWhichStaysUsable(String sql) throws Exception {
        Database db = await(Database.open(dir.resolve("d.db").toString()));
        try {
            assertThat(failure(db.fetchAll(sql))).hasMessageContaining("NUL");
            assertThat(failure(db.execute(sql))).hasMessageContaining("NUL");
            assertThat(failure(db.transaction(tx -> tx.execute(sql)))).hasMessageContaining("NUL");
            assertThat(await(db.fetchOne("SELECT 5")).getInt(0)).isEqualTo(5);
        } finally {
            db.closeAsync().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @org.junit.jupiter.api.Test
    void nulInsideABoundValueIsStoredAsItIs() throws Exception {
        try (AsyncConnection c = await(AsyncConnection.open(dir.resolve("v.db").toString()))) {
            await(c.execute("CREATE TABLE t(x TEXT)"));
            await(c.execute("INSERT INTO t VALUES (?)", "a\0b"));
            assertThat(await(c.fetchOne("SELECT length(CAST(x AS BLOB)) FROM t")).getLong(0)).isEqualTo(3);
        }
    }
}
