package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input fails with a clear exception, and the connection keeps working afterwards. */
class BadInputIT {
    @TempDir
    Path dir;
    AsyncConnection db;

    @BeforeEach
    void open() {
        db = AsyncConnection.open(dir.resolve("bad.db").toString()).join();
        db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v)").join();
    }

    @AfterEach
    void close() {
        stillUsable();
        db.close();
    }

    private void stillUsable() {
        long before = db.fetchOne("SELECT count(*) FROM t").join().getLong(0);
        db.execute("INSERT INTO t(v) VALUES ('ok')").join();
        assertThat(db.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isEqualTo(before + 1);
        assertThat(db.isInTransaction().join()).isFalse();
    }

    private static SqliteException failure(java.util.concurrent.CompletableFuture<?> f) {
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
        assertThat(e.getCause()).isInstanceOf(SqliteException.class);
        return (SqliteException) e.getCause();
    }

    @Test
    void syntaxError() {
        SqliteException e = failure(db.execute("SELEC 1"));
        assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_ERROR);
        assertThat(e.getMessage()).contains("near \"SELEC\": syntax error").contains("[SQL: SELEC 1]");
        assertThat(e.sql()).isEqualTo("SELEC 1");
        assertThat(failure(db.fetchAll("SELECT * FROM missing_table")).getMessage()).contains("no such table");
        assertThat(failure(db.executeScript("CREATE TABLE z(x); NONSENSE;")).getMessage()).contains("syntax error");
    }

    @Test
    void wrongParameterCount() {
        SqliteException tooFew = failure(db.execute("INSERT INTO t(id, v) VALUES (?, ?)", 1));
        assertThat(tooFew.resultCode()).isEqualTo(SqliteException.SQLITE_RANGE);
        assertThat(tooFew.getMessage()).contains("wrong number of parameters: the statement takes 2, 1 given");
        SqliteException tooMany = failure(db.fetchAll("SELECT ?", 1, 2));
        assertThat(tooMany.getMessage()).contains("takes 1, 2 given");
        assertThat(failure(db.fetchOne("SELECT 1", "extra")).getMessage()).contains("takes 0, 1 given");
        assertThat(failure(db.cursor("SELECT ?")).getMessage()).contains("takes 1, 0 given");
        assertThat(db.fetchAll("SELECT count(*) FROM t WHERE id = 1").join().get(0).getLong(0)).isZero();
    }

    @Test
    void unsupportedParameterType() {
        SqliteException e = failure(db.execute("INSERT INTO t(v) VALUES (?)", new java.util.Date()));
        assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_MISMATCH);
        assertThat(e.getMessage()).contains("cannot bind parameter 1, a java.util.Date: unsupported type");
        assertThat(failure(db.executeMany("INSERT INTO t(v) VALUES (?)",
                java.util.List.of(new Object[] {1}, new Object[] {new Object()}))).getMessage())
                .contains("parameter set 1");
        assertThat(db.fetchOne("SELECT count(*) FROM t").join().getLong(0)).isZero();
    }

    @Test
    void constraintViolationsNameTheirKind() {
        db.execute("CREATE TABLE c(id INTEGER PRIMARY KEY, u TEXT UNIQUE, n TEXT NOT NULL, k INTEGER CHECK (k > 0))")
                .join();
        db.execute("INSERT INTO c VALUES (1, 'a', 'x', 1)").join();
        assertThat(kind(db.execute("INSERT INTO c VALUES (2, 'a', 'x', 1)")))
                .isEqualTo(SqliteConstraintException.Kind.UNIQUE);
        assertThat(kind(db.execute("INSERT INTO c VALUES (1, 'b', 'x', 1)")))
                .isEqualTo(SqliteConstraintException.Kind.PRIMARY_KEY);
        assertThat(kind(db.execute("INSERT INTO c VALUES (3, 'c', NULL, 1)")))
                .isEqualTo(SqliteConstraintException.Kind.NOT_NULL);
        assertThat(kind(db.execute("INSERT INTO c VALUES (4, 'd', 'x', 0)")))
                .isEqualTo(SqliteConstraintException.Kind.CHECK);
    }

    private static SqliteConstraintException.Kind kind(java.util.concurrent.CompletableFuture<?> f) {
        SqliteException e = failure(f);
        assertThat(e).isInstanceOf(SqliteConstraintException.class);
        assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_CONSTRAINT);
        return ((SqliteConstraintException) e).kind();
    }

    @Test
    void missingFileWithCreateOff() {
        Path missing = dir.resolve("missing.db");
        assertThatThrownBy(() -> AsyncConnection.open(ConnectionOptions.builder(missing.toString()).create(false)
                .build()).join())
                .cause().isInstanceOf(SqliteException.class)
                .hasMessageContaining("missing.db").hasMessageContaining("create is off")
                .satisfies(e -> assertThat(((SqliteException) e).resultCode()).isEqualTo(SqliteException.SQLITE_CANTOPEN));
        assertThat(missing).doesNotExist();
    }

    @Test
    void writeToAReadOnlyFile() throws Exception {
        Path file = dir.resolve("ro.db");
        try (AsyncConnection c = AsyncConnection.open(file.toString()).join()) {
            c.execute("CREATE TABLE r(x)").join();
        }
        try (AsyncConnection ro = AsyncConnection.open(ConnectionOptions.builder(file.toString()).readOnly(true)
                .build()).join()) {
            SqliteException e = failure(ro.execute("INSERT INTO r VALUES (1)"));
            assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_READONLY);
            assertThat(e.getMessage()).contains("readonly");
            assertThat(ro.fetchAll("SELECT * FROM r").join()).isEmpty();
        }
        // A file the process may not write: as root, permissions do not stop writes, so read-only mode stands in.
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void fileThatIsNotADatabase() throws Exception {
        Path junk = dir.resolve("junk.db");
        byte[] text = new byte[8192];
        Arrays.fill(text, (byte) 'x');
        Files.write(junk, text);
        assertThatThrownBy(() -> AsyncConnection.open(junk.toString()).join())
                .cause().isInstanceOf(SqliteException.class)
                .hasMessageContaining("junk.db").hasMessageContaining("not a database")
                .satisfies(e -> assertThat(((SqliteException) e).resultCode()).isEqualTo(SqliteException.SQLITE_NOTADB));
        assertThat(Files.readAllBytes(junk)).isEqualTo(text);
    }

    @Test
    void corruptPagesFailQueriesClearlyAndTheConnectionKeepsWorking() throws Exception {
        Path file = dir.resolve("corrupt.db");
        try (AsyncConnection c = AsyncConnection.open(file.toString()).join()) {
            c.execute("CREATE TABLE big(x TEXT)").join();
            c.executeMany("INSERT INTO big VALUES (?)", java.util.Collections.nCopies(2000,
                    new Object[] {"some text to fill a few pages of the table"})).join();
        }
        // Overwrite the table's pages (past the header and schema page) with garbage.
        byte[] bytes = Files.readAllBytes(file);
        java.util.Arrays.fill(bytes, 8192, bytes.length - 4096, (byte) 0x5A);
        Files.write(file, bytes);
        try (AsyncConnection c = AsyncConnection.open(file.toString()).join()) {
            SqliteException e = failure(c.fetchAll("SELECT count(*), max(length(x)) FROM big"));
            assertThat(e.resultCode()).isIn(11, 26);
            assertThat(e.getMessage()).containsAnyOf("malformed", "not a database", "corrupt");
            assertThat(c.fetchOne("SELECT 40 + 2").join().getLong(0)).isEqualTo(42);
        }
    }

    @Test
    void textWithNulAndNonBmpCharactersRoundTrips() {
        String tricky = "a\u0000b \uD83D\uDE00 \u00e9\u4e2d \uD834\uDD1E end\u0000";
        db.execute("INSERT INTO t(id, v) VALUES (1, ?)", tricky).join();
        Row r = db.fetchOne("SELECT v, length(CAST(v AS BLOB)) FROM t WHERE id = 1").join();
        assertThat(r.getString(0)).isEqualTo(tricky);
        assertThat(r.getLong(1)).isEqualTo(tricky.getBytes(StandardCharsets.UTF_8).length);
        assertThat(db.fetchOne("SELECT count(*) FROM t WHERE v = ?", tricky).join().getLong(0)).isEqualTo(1);
        db.execute("DELETE FROM t").join();
    }

    @Test
    void tenMegabyteBlobRoundTrips() {
        byte[] blob = new byte[10 * 1024 * 1024];
        new java.util.Random(7).nextBytes(blob);
        db.execute("INSERT INTO t(id, v) VALUES (1, ?)", (Object) blob).join();
        Row r = db.fetchOne("SELECT v, length(v) FROM t WHERE id = 1").join();
        assertThat(r.getLong(1)).isEqualTo(blob.length);
        assertThat(r.getBytes(0)).isEqualTo(blob);
        db.execute("DELETE FROM t").join();
    }

    @Test
    void valueAboveSqliteLengthLimitIsRejectedClearly() {
        db.run(conn -> {
            ((org.sqlite.SQLiteConnection) conn).setLimit(org.sqlite.SQLiteLimits.SQLITE_LIMIT_LENGTH, 1000);
            return null;
        }).join();
        SqliteException e = failure(db.execute("INSERT INTO t(v) VALUES (?)", (Object) new byte[2000]));
        assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_TOOBIG);
        assertThat(e.getMessage()).contains("SQLITE_TOOBIG");
    }

    @Test
    void nullArguments() {
        assertThatThrownBy(() -> db.execute(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("sql");
        db.execute("INSERT INTO t(v) VALUES (?)", (Object) null).join();
        assertThat(db.fetchOne("SELECT v FROM t").join().isNull("v")).isTrue();
        db.execute("DELETE FROM t").join();
    }

    @Test
    void invalidOptionsAreRejectedWhenBuilt() {
        assertThatThrownBy(() -> ConnectionOptions.builder("x.db").prefetch(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefetch");
        assertThatThrownBy(() -> ConnectionOptions.builder("").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(":memory:");
        assertThatThrownBy(() -> ConnectionOptions.builder("x.db").pragma("bad name;", "1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pragma");
        assertThatThrownBy(() -> AsyncConnection.open(ConnectionOptions.builder(dir.resolve("p.db").toString())
                .pragma("journal_mode", "WAL; DROP TABLE t").build()).join())
                .cause().hasMessageContaining("contains ';'");
    }
}
