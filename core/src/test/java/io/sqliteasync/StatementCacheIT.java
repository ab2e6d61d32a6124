package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The prepared-statement cache: schema changes and a cache smaller than the open cursors. */
class StatementCacheIT extends StaysUsableCase {
    @Test
    void cachedStatementSeesSchemaChanges() {
        db.execute("CREATE TABLE w(a)").join();
        db.execute("INSERT INTO w VALUES (1)").join();
        assertThat(db.fetchAll("SELECT * FROM w").join().get(0).metadata().columnCount()).isEqualTo(1);
        db.execute("ALTER TABLE w ADD COLUMN b DEFAULT 7").join();
        Row r = db.fetchOne("SELECT * FROM w").join();
        assertThat(r.metadata().columnCount()).isEqualTo(2);
        assertThat(r.getLong(1)).isEqualTo(7);
        db.execute("DROP TABLE w").join();
        db.execute("CREATE TABLE w(x TEXT, y, z)").join();
        db.execute("INSERT INTO w VALUES ('1', 2, 3)").join();
        r = db.fetchOne("SELECT * FROM w").join();
        assertThat(r.metadata().columnCount()).isEqualTo(3);
        assertThat(db.cursor("SELECT * FROM w").thenApply(c -> {
            List<String> names = c.columnNames();
            c.close();
            return names;
        }).join()).containsExactly("x", "y", "z");
        db.fetchOne("SELECT * FROM w").join();
        db.execute("DROP TABLE w").join(); // fetchOne reset its statement
    }

    @Test
    void cachedStatementSeesRenamedAndRetypedColumnsOfTheSameCount() {
        db.execute("CREATE TABLE m(a INTEGER, b TEXT)").join();
        db.execute("INSERT INTO m VALUES (1, 'x')").join();
        Row first = db.fetchOne("SELECT * FROM m").join();
        assertThat(first.metadata().columnNames()).containsExactly("a", "b");
        // The same statement again reuses the metadata built for it.
        assertThat(db.fetchOne("SELECT * FROM m").join().metadata()).isSameAs(first.metadata());
        db.execute("ALTER TABLE m RENAME COLUMN b TO c").join();
        Row renamed = db.fetchOne("SELECT * FROM m").join();
        assertThat(renamed.metadata().columnNames()).containsExactly("a", "c");
        assertThat(renamed.metadata().indexOf("c")).isEqualTo(1);
        assertThat(renamed.metadata().indexOf("b")).isEqualTo(-1);
        db.execute("DROP TABLE m").join();
        db.execute("CREATE TABLE m(a BOOLEAN, c TEXT)").join();
        db.execute("INSERT INTO m VALUES (1, 'y')").join();
        Row retyped = db.fetchOne("SELECT * FROM m").join();
        assertThat(retyped.metadata().declaredTypes()).containsExactly("BOOLEAN", "TEXT");
        assertThat(retyped.get(0)).isEqualTo(Boolean.TRUE);
        assertThat(db.cursor("SELECT * FROM m").thenApply(c -> {
            List<String> types = c.metadata().declaredTypes();
            c.close();
            return types;
        }).join()).containsExactly("BOOLEAN", "TEXT");
    }

    @Test
    void statementCacheOfOneWithTwoOpenCursors() {
        db.close();
        db = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("c.db").toString()).statementCacheSize(1)
                .build()).join();
        db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v UNIQUE)").join();
        db.executeMany("INSERT INTO t(v) VALUES (?)", List.of(List.of(1), List.of(2), List.of(3))).join();
        Cursor a = db.cursor("SELECT v FROM t ORDER BY v").join();
        Cursor b = db.cursor("SELECT v * 10 FROM t ORDER BY v").join();
        assertThat(a.fetchOne().join().getLong(0)).isEqualTo(1);
        assertThat(b.fetchOne().join().getLong(0)).isEqualTo(10);
        db.fetchAll("SELECT 5").join();
        db.fetchAll("SELECT 6").join();
        assertThat(a.fetchAll().join()).extracting(r -> r.getLong(0)).containsExactly(2L, 3L);
        assertThat(b.fetchAll().join()).extracting(r -> r.getLong(0)).containsExactly(20L, 30L);
    }
}
