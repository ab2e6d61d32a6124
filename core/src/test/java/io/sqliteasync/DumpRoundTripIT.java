package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static io.sqliteasync.DumpTestSupport.collect;
import static io.sqliteasync.DumpTestSupport.fingerprint;
import static io.sqliteasync.DumpTestSupport.script;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A dump run with executeScript on an empty file gives back the same database, value for value. */
@Timeout(60)
class DumpRoundTripIT {
    @TempDir
    Path dir;

    /** Every storage class and the awkward corners: names, rowids, AUTOINCREMENT, generated columns, FTS5, ... */
    static void fill(BlockingSqlClient db) {
        db.executeScript("""
                PRAGMA user_version = 7;
                PRAGMA application_id = 123456;
                CREATE TABLE "odd ""name"" table" ("select" INTEGER, "naïve col" TEXT, "sp ace" BLOB, x REAL, y,
                    "日付" DATE);
                CREATE TABLE seq (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
                CREATE TABLE kv (k TEXT PRIMARY KEY, v ANY) WITHOUT ROWID;
                CREATE TABLE plain (a, b);
                CREATE TABLE descending (id INTEGER PRIMARY KEY DESC, v);
                CREATE TABLE shadowed (rowid TEXT, v);
                CREATE TABLE gen (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL,
                    c TEXT GENERATED ALWAYS AS ('#' || a) STORED);
                CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
                CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent(id) ON DELETE CASCADE);
                CREATE TABLE log (msg TEXT); -- a trailing comment
                CREATE VIRTUAL TABLE docs USING fts5(title, body);
                CREATE VIRTUAL TABLE boxes USING rtree(id, minX, maxX);
                CREATE VIRTUAL TABLE old_docs USING fts4(body);
                CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT);
                CREATE VIRTUAL TABLE posts_fts USING fts5(body, content='posts', content_rowid='id');
                CREATE INDEX "idx on ""odd"" x" ON "odd ""name"" table" ("naïve col");
                CREATE UNIQUE INDEX plain_b ON plain (b) WHERE b IS NOT NULL;
                CREATE INDEX expr_idx ON plain (abs(a));
                CREATE VIEW v_child AS SELECT c.id, p.name FROM child c JOIN parent p ON p.id = c.parent;
                CREATE VIEW v_of_v AS SELECT count(*) AS n FROM v_child;
                CREATE TRIGGER parent_log AFTER INSERT ON parent BEGIN
                    INSERT INTO log VALUES ('parent ' || new.id);
                END;
                CREATE TRIGGER v_child_insert INSTEAD OF INSERT ON v_child BEGIN
                    INSERT INTO child (id, parent) VALUES (new.id, 1);
                END;
                """);
        List<Object[]> odd = new ArrayList<>();
        odd.add(new Object[] {null, null, null, null, null, null});
        odd.add(new Object[] {Long.MIN_VALUE, "it's \"quoted\"", new byte[0], -0.0, -0.0, "not a date"});
        odd.add(new Object[] {Long.MAX_VALUE, "line1\nline2\r\n\ttab\u0000nul\u007f", new byte[] {0, -1, 10, 39},
                Double.MIN_VALUE, Double.POSITIVE_INFINITY, "2024-02-30"});
        odd.add(new Object[] {0L, "emoji 😀 and 中文 and \\backslash\\u0041", new byte[] {1, 2, 3},
                Double.MAX_VALUE, Double.NEGATIVE_INFINITY, 12L});
        odd.add(new Object[] {-1L, "", "text in a blob column", 0.1, 1.0, 2.5});
        odd.add(new Object[] {42L, "x", 7L, 1e-300, "1e5", new byte[] {0}});
        odd.add(new Object[] {43L, "y", 1.5, 123456789.123456789, 3L, null});
        db.executeMany("INSERT INTO \"odd \"\"name\"\" table\" VALUES (?, ?, ?, ?, ?, ?)", odd);
        for (int i = 0; i < 10; i++) {
            db.execute("INSERT INTO seq (v) VALUES (?)", "v" + i);
        }
        db.execute("DELETE FROM seq WHERE id > 6");
        db.execute("INSERT INTO kv VALUES ('a', 1), ('b', 2.5), ('c', x'00ff'), ('d', NULL), ('e', 'text')");
        db.execute("INSERT INTO plain VALUES (1, 'one'), (2, 'two'), (3, NULL), (4, 'four')");
        db.execute("DELETE FROM plain WHERE a = 2");
        db.execute("INSERT INTO plain (rowid, a, b) VALUES (100, 5, 'five')");
        db.execute("INSERT INTO descending VALUES (5, 'five'), (-3, 'minus three')");
        db.execute("INSERT INTO shadowed (rowid, v) VALUES ('not the rowid', 1)");
        db.execute("INSERT INTO gen (a) VALUES (1), (2), (NULL)");
        db.execute("INSERT INTO parent VALUES (1, 'p1'), (2, 'p2')");
        db.execute("INSERT INTO child VALUES (10, 1), (11, 2)");
        db.execute("INSERT INTO docs (rowid, title, body) VALUES (3, 'hello', 'hello world'),"
                + " (9, 'bye', 'it''s over')");
        db.execute("INSERT INTO boxes VALUES (1, 0.5, 2.25), (7, -10, 1e10)");
        db.execute("INSERT INTO old_docs (docid, body) VALUES (4, 'four score'), (8, 'and seven')");
        db.execute("INSERT INTO posts VALUES (2, 'external content'), (5, 'is indexed')");
        db.execute("INSERT INTO posts_fts (posts_fts) VALUES ('rebuild')");
        db.execute("ANALYZE");
    }

    @Test
    void aConnectionDumpRestoresToTheSameDatabase() {
        try (AsyncConnection src = await(AsyncConnection.open(dir.resolve("src.db").toString()));
                AsyncConnection dst = await(AsyncConnection.open(dir.resolve("dst.db").toString()))) {
            fill(src.blocking());
            List<String> dump = collect(src.dump());
            await(dst.executeScript(script(dump)));
            Map<String, List<String>> expected = fingerprint(src.blocking());
            assertSame(fingerprint(dst.blocking()), expected);
            assertThat(expected.keySet()).contains("table odd \"name\" table", "table seq", "table kv",
                    "table sqlite_sequence", "table sqlite_stat1", "virtual docs", "virtual boxes");
            assertThat(expected.get("virtual boxes")).hasSize(2);
            assertThat(expected.get("virtual old_docs")).hasSize(2);
            // The full-text indexes answer the same queries after the restore.
            for (String q : List.of("SELECT rowid FROM docs WHERE docs MATCH 'world'",
                    "SELECT docid FROM old_docs WHERE old_docs MATCH 'seven'",
                    "SELECT rowid FROM posts_fts WHERE posts_fts MATCH 'indexed'")) {
                assertThat(dst.blocking().fetchAll(q, Long.class)).as(q)
                        .isEqualTo(src.blocking().fetchAll(q, Long.class)).hasSize(1);
            }
            assertThat(expected.get("table sqlite_sequence")).hasSize(1);
            assertThat(expected.get("virtual docs")).hasSize(2);
            // A dump of the restored copy is the same text again.
            assertThat(collect(dst.dump())).isEqualTo(dump);
        }
    }

    @Test
    void aDatabaseDumpRestoresToTheSameDatabase() {
        try (Database src = await(Database.open(dir.resolve("src.db").toString()));
                Database dst = await(Database.open(dir.resolve("dst.db").toString()))) {
            fill(src.blocking());
            await(dst.executeScript(script(collect(src.dump()))));
            assertSame(fingerprint(dst.blocking()), fingerprint(src.blocking()));
        }
    }

    @Test
    void theDumpHasTheShapeOfTheSqlite3ShellsDump() {
        try (AsyncConnection src = await(AsyncConnection.open(dir.resolve("src.db").toString()))) {
            fill(src.blocking());
            List<String> dump = collect(src.dump());
            assertThat(dump.subList(0, 2)).containsExactly("PRAGMA foreign_keys=OFF;", "BEGIN TRANSACTION;");
            assertThat(dump.get(dump.size() - 1)).isEqualTo("COMMIT;");
            assertThat(dump).allSatisfy(s -> assertThat(s).endsWith(";"));
            // Every item is exactly one complete statement.
            assertThat(dump).allSatisfy(s -> assertThat(io.sqliteasync.internal.sql.SqlScript.count(s)).isOne());
            // Data before indexes, views and triggers, so that loading fires no trigger; shadow tables left out.
            int lastInsert = lastIndexOf(dump, "INSERT INTO \"log\"");
            assertThat(dump.indexOf(find(dump, "CREATE TRIGGER parent_log"))).isGreaterThan(lastInsert);
            assertThat(dump.indexOf(find(dump, "CREATE INDEX expr_idx"))).isGreaterThan(
                    lastIndexOf(dump, "INSERT INTO \"plain\""));
            assertThat(dump).noneMatch(s -> s.startsWith("CREATE TABLE 'docs_") || s.startsWith("INSERT INTO \"docs_")
                    || s.startsWith("CREATE TABLE \"boxes_") || s.startsWith("INSERT INTO \"boxes_"));
            assertThat(dump).contains("INSERT INTO \"plain\"(rowid,\"a\",\"b\") VALUES(100,5,'five');",
                    "INSERT INTO \"seq\" VALUES(3,'v2');", "INSERT INTO \"gen\"(rowid,\"a\") VALUES(2,2);",
                    "INSERT INTO \"descending\"(rowid,\"id\",\"v\") VALUES(1,5,'five');",
                    "INSERT INTO \"docs\"(rowid,\"title\",\"body\") VALUES(9,'bye','it''s over');",
                    "DELETE FROM sqlite_sequence;", "INSERT INTO sqlite_sequence VALUES('seq',10);",
                    "PRAGMA user_version=7;", "PRAGMA application_id=123456;");
        }
    }

    @Test
    void optionsChooseTheTablesAndWhetherRowidsAreKept() {
        try (AsyncConnection src = await(AsyncConnection.open(dir.resolve("src.db").toString()));
                AsyncConnection dst = await(AsyncConnection.open(dir.resolve("dst.db").toString()))) {
            fill(src.blocking());
            List<String> dump = collect(src.dump(DumpOptions.builder().tables(n -> n.equals("plain"))
                    .preserveRowids(false).build()));
            assertThat(dump).contains("INSERT INTO \"plain\" VALUES(5,'five');",
                    "CREATE UNIQUE INDEX plain_b ON plain (b) WHERE b IS NOT NULL;");
            assertThat(dump).noneMatch(s -> s.contains("seq") || s.contains("odd") || s.contains("user_version"));
            await(dst.executeScript(script(dump)));
            assertThat(dst.blocking().fetchAll("SELECT b FROM plain ORDER BY a", String.class))
                    .containsExactly("one", null, "four", "five");
            assertThat(dst.blocking().fetchAll("SELECT name FROM sqlite_schema ORDER BY name", String.class))
                    .containsExactly("expr_idx", "plain", "plain_b", "sqlite_stat1", "sqlite_stat4");
            // Only the statistics of the table dumped.
            assertThat(dst.blocking().fetchAll("SELECT DISTINCT tbl FROM sqlite_stat1", String.class))
                    .containsExactly("plain");
            assertThat(dst.blocking().fetchOne("SELECT count(*) FROM plain").getLong(0)).isEqualTo(4);
        }
    }

    @Test
    void anAttachedSchemaIsDumpedWithoutItsName() {
        try (AsyncConnection src = await(AsyncConnection.open(dir.resolve("src.db").toString()));
                AsyncConnection dst = await(AsyncConnection.open(dir.resolve("dst.db").toString()))) {
            src.blocking().execute("ATTACH DATABASE ? AS other", dir.resolve("other.db").toString());
            src.blocking().executeScript("CREATE TABLE other.t (x); INSERT INTO other.t VALUES (1), ('two');"
                    + " CREATE TABLE main.m (y)");
            List<String> dump = collect(src.dump(DumpOptions.builder().schema("other").build()));
            assertThat(dump).contains("CREATE TABLE t (x);", "INSERT INTO \"t\"(rowid,\"x\") VALUES(2,'two');")
                    .noneMatch(s -> s.contains("other") || s.contains("CREATE TABLE m"));
            await(dst.executeScript(script(dump)));
            assertThat(dst.blocking().fetchAll("SELECT x FROM t ORDER BY rowid", Object.class))
                    .containsExactly(1L, "two");
        }
    }

    @Test
    void aDumpRunIntoADatabaseThatHasItsTablesFailsAndAppliesNothing() {
        try (AsyncConnection src = await(AsyncConnection.open(dir.resolve("src.db").toString()));
                Database dst = await(Database.open(dir.resolve("dst.db").toString()));
                AsyncConnection raw = await(AsyncConnection.open(dir.resolve("raw.db").toString()))) {
            src.blocking().executeScript("CREATE TABLE a (x); INSERT INTO a VALUES (1); CREATE TABLE b (y);"
                    + " INSERT INTO b VALUES (2)");
            String script = script(collect(src.dump()));
            dst.blocking().execute("CREATE TABLE b (y)");
            assertThat(DatabaseTestSupport.failure(dst.executeScript(script))).isInstanceOf(SqliteException.class)
                    .hasMessageContaining("already exists");
            // Database.executeScript rolled the dump's transaction back: table a is not there.
            assertThat(dst.blocking().fetchAll("SELECT name FROM sqlite_schema", String.class)).containsExactly("b");
            raw.blocking().execute("CREATE TABLE b (y)");
            assertThat(DatabaseTestSupport.failure(raw.executeScript(script))).isInstanceOf(SqliteException.class);
            // On a plain connection the script's transaction stays open until rolled back.
            assertThat(await(raw.isInTransaction())).isTrue();
            await(raw.rollback());
            assertThat(raw.blocking().fetchAll("SELECT name FROM sqlite_schema", String.class)).containsExactly("b");
        }
    }

    @Test
    void anEmptyDatabaseDumpsAnEmptyTransaction() {
        try (AsyncConnection src = await(AsyncConnection.open(dir.resolve("src.db").toString()))) {
            assertThat(collect(src.dump())).containsExactly("PRAGMA foreign_keys=OFF;", "BEGIN TRANSACTION;",
                    "COMMIT;");
        }
    }

    /** Key by key, so that a difference names its table. */
    static void assertSame(Map<String, List<String>> actual, Map<String, List<String>> expected) {
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            assertThat(actual.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
    }

    private static String find(List<String> dump, String prefix) {
        return dump.stream().filter(s -> s.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no statement starts with " + prefix + " in " + dump));
    }

    private static int lastIndexOf(List<String> dump, String prefix) {
        int last = -1;
        for (int i = 0; i < dump.size(); i++) {
            if (dump.get(i).startsWith(prefix)) {
                last = i;
            }
        }
        assertThat(last).as("a statement starting with " + prefix).isNotNegative();
        return last;
    }
}
