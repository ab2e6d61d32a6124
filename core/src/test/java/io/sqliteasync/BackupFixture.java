package io.sqliteasync;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A database with every storage class, NULLs, blobs, unicode, an index, a trigger and a view; and its full content. */
final class BackupFixture {
    private BackupFixture() {
    }

    static void fill(BlockingSqlClient db) {
        db.executeScript("""
                CREATE TABLE kinds(id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n);
                CREATE INDEX kinds_t ON kinds(t);
                CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT, kind_id INTEGER, what TEXT);
                CREATE TRIGGER kinds_audit AFTER INSERT ON kinds BEGIN
                  INSERT INTO audit(kind_id, what) VALUES (new.id, 'insert');
                END;
                CREATE VIEW kinds_text AS SELECT id, t FROM kinds WHERE t IS NOT NULL;
                CREATE TABLE wide(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
                """);
        db.execute("INSERT INTO kinds(i, r, t, b, n) VALUES (?, ?, ?, ?, ?)", Long.MAX_VALUE, 1.5e300, "plain",
                new byte[] {0, 1, 2, (byte) 255}, null);
        db.execute("INSERT INTO kinds(i, r, t, b, n) VALUES (?, ?, ?, ?, ?)", Long.MIN_VALUE, -0.0,
                "unicode: \u00e9\u4e2d\u6587 \ud83d\ude00 \u05e2\u05d1\u05e8\u05d9\u05ea", new byte[0], 42L);
        db.execute("INSERT INTO kinds(i, r, t, b, n) VALUES (NULL, NULL, NULL, NULL, 'text in an untyped column')");
        db.execute("INSERT INTO kinds(i, r, t, b, n) VALUES (0, 3.25, '', zeroblob(3000), x'cafe')");
        for (int i = 0; i < 300; i++) {
            db.execute("INSERT INTO wide(k, v) VALUES (?, randomblob(?))", "key-" + i, 100 + i);
        }
    }

    /** sqlite_schema and every table's rows, in a comparable form (blobs as hex, with each value's type). */
    static List<String> content(BlockingSqlClient db) {
        List<String> out = new ArrayList<>();
        for (Row r : db.fetchAll("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")) {
            out.add("schema " + r.getString(0) + " " + r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
        }
        for (Row t : db.fetchAll("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")) {
            String name = t.getString(0);
            for (Row r : db.fetchAll("SELECT * FROM \"" + name + "\" ORDER BY 1")) {
                StringBuilder sb = new StringBuilder(name);
                for (int i = 0; i < r.size(); i++) {
                    Object v = r.get(i);
                    sb.append(" | ").append(v == null ? "null" : v.getClass().getSimpleName()).append(':')
                            .append(v instanceof byte[] ? HexFormat.of().formatHex((byte[]) v) : String.valueOf(v));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }
}
