package io.sqliteasync.internal.dump;

import io.sqliteasync.Cursor;
import io.sqliteasync.DumpOptions;
import io.sqliteasync.Row;
import io.sqliteasync.SqlClient;
import io.sqliteasync.internal.sql.SqlLexer;
import io.sqliteasync.internal.sql.SqlToken;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The statements of one dump, produced a batch at a time inside one read scope: first the catalog (read in full, it
 * is small), then each table's rows through a cursor, {@code prefetch} rows per batch. {@link #next} is called by one
 * caller at a time (the publisher's drain loop starts one batch only after the last one completed), so the fields
 * need no locking: each batch's future completing happens-before the next call.
 */
final class DumpPlan {
    private static final String HEADER_FOREIGN_KEYS = "PRAGMA foreign_keys=OFF;";
    private static final String HEADER_BEGIN = "BEGIN TRANSACTION;";

    private final DumpOptions options;
    private final int prefetch;
    private final Deque<Step> steps = new ArrayDeque<>();
    private SqlClient client;
    private Cursor cursor;

    /** One part of the dump: fixed statements, or the rows of a query, each turned into one statement. */
    private interface Step {
    }

    private record Fixed(List<String> statements) implements Step {
    }

    /** A query whose rows become statements: {@code prefix}, the values as literals, {@code ");"}. */
    private record Rows(String select, String prefix, Predicate<Row> keep) implements Step {
    }

    /** One row of {@code sqlite_schema}. */
    private record SchemaObject(String type, String name, String tableName, String sql) {
    }

    /** One column of {@code pragma_table_xinfo}. */
    private record Column(String name, String type, int pk, int hidden) {
    }

    DumpPlan(DumpOptions options, int prefetch) {
        this.options = options;
        this.prefetch = prefetch;
    }

    /**
     * Reads the catalog through {@code scope} and lays out the steps.
     *
     * @return a future completed with the header statements
     */
    CompletableFuture<List<String>> start(SqlClient scope) {
        this.client = scope;
        String schema = SqlLiterals.identifier(options.schema());
        CompletableFuture<List<Row>> objects = client.fetchAll(
                "SELECT type, name, tbl_name, sql FROM " + schema + ".sqlite_schema ORDER BY rowid");
        return objects.thenCompose(rows -> client.fetchAll("PRAGMA " + schema + ".table_list").thenCompose(list -> {
            List<SchemaObject> catalog = new ArrayList<>();
            for (Row r : rows) {
                catalog.add(new SchemaObject(r.getString(0), r.getString(1), r.getString(2), r.getString(3)));
            }
            Map<String, Row> kinds = new HashMap<>();
            for (Row r : list) {
                kinds.put(r.getString("name"), r);
            }
            return layOut(catalog, kinds);
        })).thenApply(v -> List.of(HEADER_FOREIGN_KEYS, HEADER_BEGIN));
    }

    private CompletableFuture<Void> layOut(List<SchemaObject> catalog, Map<String, Row> kinds) {
        Predicate<String> filter = options.tables() == null ? name -> true : options.tables();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        boolean autoincrement = false;
        boolean stat1 = false;
        boolean stat4 = false;
        for (SchemaObject o : catalog) {
            if (!o.type().equals("table") || o.sql() == null) {
                continue;
            }
            if (isInternal(o.name())) {
                stat1 |= o.name().equalsIgnoreCase("sqlite_stat1");
                stat4 |= o.name().equalsIgnoreCase("sqlite_stat4");
                continue;
            }
            Row kind = kinds.get(o.name());
            String type = kind == null ? "table" : kind.getString("type");
            if (type.equals("shadow") || !filter.test(o.name())) {
                continue;
            }
            autoincrement |= hasWord(o.sql(), "AUTOINCREMENT");
            boolean virtual = type.equals("virtual");
            boolean withoutRowid = kind != null && kind.getLong("wr") != 0;
            chain = chain.thenCompose(v -> table(o, virtual, withoutRowid));
        }
        boolean sequence = autoincrement;
        boolean analyzed = stat1;
        boolean samples = stat4;
        String pragma = "PRAGMA " + SqlLiterals.identifier(options.schema());
        return chain.thenCompose(v -> client.fetchOne(pragma + ".application_id"))
                .thenCompose(applicationId -> client.fetchOne(pragma + ".user_version")
                        .thenAccept(userVersion -> tail(catalog, filter, sequence, analyzed, samples,
                                applicationId.getLong(0), userVersion.getLong(0))));
    }

    /** The steps after the tables: SQLite's own tables, indexes, views, triggers, the header fields, COMMIT. */
    private void tail(List<SchemaObject> catalog, Predicate<String> filter, boolean sequence, boolean analyzed,
            boolean samples, long applicationId, long userVersion) {
        String schema = SqlLiterals.identifier(options.schema());
        Predicate<Row> ofDumpedTable = r -> r.get(0) instanceof String && filter.test(r.getString(0));
        if (sequence) {
            steps.add(new Fixed(List.of("DELETE FROM sqlite_sequence;")));
            steps.add(new Rows("SELECT +name, +seq FROM " + schema + ".sqlite_sequence ORDER BY rowid",
                    "INSERT INTO sqlite_sequence VALUES(", ofDumpedTable));
        }
        if (analyzed) {
            // ANALYZE of a table without indexes creates sqlite_stat1 (and sqlite_stat4) and writes no rows.
            steps.add(new Fixed(List.of("ANALYZE sqlite_schema;", "DELETE FROM sqlite_stat1;")));
            steps.add(new Rows("SELECT +tbl, +idx, +stat FROM " + schema + ".sqlite_stat1",
                    "INSERT INTO sqlite_stat1 VALUES(", ofDumpedTable));
            if (samples) {
                // Only in a library built with SQLITE_ENABLE_STAT4, as the bundled one is.
                steps.add(new Fixed(List.of("DELETE FROM sqlite_stat4;")));
                steps.add(new Rows("SELECT +tbl, +idx, +neq, +nlt, +ndlt, +sample FROM " + schema + ".sqlite_stat4",
                        "INSERT INTO sqlite_stat4 VALUES(", ofDumpedTable));
            }
        }
        List<String> rest = new ArrayList<>();
        // Indexes, then views (they may name any table; SQLite checks that only when a view is used), then triggers
        // (an INSTEAD OF trigger needs its view): each kind in the order it was created.
        for (String kind : List.of("index", "view", "trigger")) {
            for (SchemaObject o : catalog) {
                if (o.type().equals(kind) && o.sql() != null && !isInternal(o.name()) && filter.test(o.tableName())) {
                    rest.add(terminated(o.sql()));
                }
            }
        }
        if (options.tables() == null && applicationId != 0) {
            rest.add("PRAGMA application_id=" + applicationId + ";");
        }
        if (options.tables() == null && userVersion != 0) {
            rest.add("PRAGMA user_version=" + userVersion + ";");
        }
        rest.add("COMMIT;");
        steps.add(new Fixed(rest));
    }

    /** The steps of one table: its CREATE statement, then its rows. */
    private CompletableFuture<Void> table(SchemaObject o, boolean virtual, boolean withoutRowid) {
        String schema = options.schema();
        return client.fetchAll("SELECT name, type, pk, hidden FROM pragma_table_xinfo(?, ?)", o.name(), schema)
                .thenCompose(cols -> client.fetchOne(
                        "SELECT count(*) FROM pragma_index_list(?, ?) WHERE origin = 'pk'", o.name(), schema)
                        .thenAccept(pkIndexes -> {
                            List<Column> columns = new ArrayList<>();
                            for (Row c : cols) {
                                columns.add(new Column(c.getString(0), c.getString(1), c.getInt(2), c.getInt(3)));
                            }
                            steps.add(new Fixed(List.of(terminated(o.sql()))));
                            steps.add(rows(o, columns, virtual, withoutRowid, pkIndexes.getLong(0) > 0));
                        }));
    }

    private Rows rows(SchemaObject o, List<Column> columns, boolean virtual, boolean withoutRowid,
            boolean pkIndex) {
        List<String> names = new ArrayList<>();
        int keys = 0;
        boolean alias = false;
        boolean hidden = false;
        for (Column c : columns) {
            if (c.hidden() != 0) {
                // Generated columns (2, 3) are computed again; hidden columns of a virtual table (1) are not data.
                hidden = true;
                continue;
            }
            names.add(c.name());
            if (c.pk() > 0) {
                keys++;
                alias = c.type().equalsIgnoreCase("INTEGER");
            }
        }
        // A rowid table's INTEGER PRIMARY KEY is its rowid, unless declared DESC: then SQLite backs it with an
        // index of origin 'pk' instead (https://sqlite.org/lang_createtable.html#rowid).
        alias = alias && keys == 1 && !pkIndex;
        String rowid = null;
        if (virtual) {
            if (isFullText(o.sql())) {
                rowid = "rowid";
            }
        } else if (!withoutRowid && !alias && options.preserveRowids()) {
            for (String candidate : List.of("rowid", "_rowid_", "oid")) {
                if (names.stream().noneMatch(n -> n.equalsIgnoreCase(candidate))) {
                    rowid = candidate;
                    break;
                }
            }
        }
        StringBuilder select = new StringBuilder("SELECT ");
        StringBuilder prefix = new StringBuilder("INSERT INTO ").append(SqlLiterals.identifier(o.name()));
        boolean list = rowid != null || hidden;
        if (list) {
            prefix.append('(');
        }
        int i = 0;
        if (rowid != null) {
            select.append('+').append(rowid).append(" AS c").append(i++);
            prefix.append(rowid);
        }
        for (String n : names) {
            if (i > 0) {
                select.append(", ");
                if (list) {
                    prefix.append(',');
                }
            }
            // A bare expression has no declared type, so rows hold the stored value, never a decoded one.
            select.append('+').append(SqlLiterals.identifier(n)).append(" AS c").append(i++);
            if (list) {
                prefix.append(SqlLiterals.identifier(n));
            }
        }
        if (list) {
            prefix.append(')');
        }
        select.append(" FROM ").append(SqlLiterals.identifier(options.schema())).append('.')
                .append(SqlLiterals.identifier(o.name()));
        prefix.append(" VALUES(");
        return new Rows(select.toString(), prefix.toString(), null);
    }

    /**
     * The next batch of statements: possibly empty (a table without rows), or {@code null} once every statement was
     * given.
     */
    CompletableFuture<List<String>> next() {
        Step step = steps.peek();
        if (step == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (step instanceof Fixed) {
            steps.poll();
            return CompletableFuture.completedFuture(((Fixed) step).statements());
        }
        Rows rows = (Rows) step;
        if (cursor == null) {
            return client.cursor(rows.select()).thenCompose(c -> {
                cursor = c;
                return fetch(rows);
            });
        }
        return fetch(rows);
    }

    private CompletableFuture<List<String>> fetch(Rows step) {
        return cursor.fetchMany(prefetch).thenApply(rows -> {
            List<String> out = new ArrayList<>(rows.size());
            StringBuilder b = new StringBuilder();
            for (Row r : rows) {
                if (step.keep() != null && !step.keep().test(r)) {
                    continue;
                }
                b.setLength(0);
                b.append(step.prefix());
                for (int i = 0; i < r.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    b.append(SqlLiterals.literal(r.get(i)));
                }
                out.add(b.append(");").toString());
            }
            if (rows.size() < prefetch) {
                // Exhausted: the worker already reset the statement; close() only marks the cursor closed.
                cursor.close();
                cursor = null;
                steps.poll();
            }
            return out;
        });
    }

    /** Closes the cursor of the table being read, if any; the scope's end would close it too. */
    void abandon() {
        Cursor c = cursor;
        if (c != null) {
            c.close();
        }
    }

    private static boolean isInternal(String name) {
        return name.regionMatches(true, 0, "sqlite_", 0, 7);
    }

    /** Whether a statement holds a keyword outside strings, comments and quoted names. */
    private static boolean hasWord(String sql, String keyword) {
        for (SqlToken t : SqlLexer.tokenize(sql)) {
            if (t.is(sql, keyword)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a CREATE VIRTUAL TABLE statement uses FTS3, FTS4 or FTS5, whose rowids are the documents' ids. */
    private static boolean isFullText(String sql) {
        boolean using = false;
        for (SqlToken t : SqlLexer.tokenize(sql)) {
            if (t.isBlank()) {
                continue;
            }
            if (using) {
                String module = t.text(sql).toLowerCase(Locale.ROOT);
                return module.equals("fts3") || module.equals("fts4") || module.equals("fts5");
            }
            using = t.is(sql, "USING");
        }
        return false;
    }

    /** A statement of {@code sqlite_schema} with its semicolon; after a trailing line comment, on a new line. */
    static String terminated(String sql) {
        List<SqlToken> tokens = SqlLexer.tokenize(sql);
        SqlToken last = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
        boolean lineComment = last != null && last.type() == SqlToken.Type.COMMENT && sql.startsWith("--",
                last.start());
        return lineComment ? sql + "\n;" : sql + ";";
    }
}
