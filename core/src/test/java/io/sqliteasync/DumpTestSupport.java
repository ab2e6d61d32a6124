package io.sqliteasync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/** Collects dumps and compares databases value by value, for the dump tests. */
final class DumpTestSupport {
    private DumpTestSupport() {
    }

    /** Every statement of a dump, requesting without bound; fails with what the dump failed with. */
    static List<String> collect(Flow.Publisher<String> dump) {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        dump.subscribe(new Flow.Subscriber<String>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String item) {
                out.add(item);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(out);
            }
        });
        return done.orTimeout(60, TimeUnit.SECONDS).join();
    }

    /** A dump as one script, a statement per line. */
    static String script(List<String> statements) {
        return String.join("\n", statements) + "\n";
    }

    /**
     * What "the same database" means for the tests: the schema rows (type, name, table, SQL; not the root pages),
     * user_version and application_id, and every table's rows with their storage class and exact value (integers
     * as numbers, reals by their bits, text and blobs by their bytes), rowids included. The shadow tables of virtual
     * tables are left out (the virtual table's own rows are compared); rows are compared as multisets.
     */
    static Map<String, List<String>> fingerprint(BlockingSqlClient c) {
        Map<String, List<String>> out = new TreeMap<>();
        List<String> schema = new ArrayList<>();
        for (Row r : c.fetchAll("SELECT type, name, tbl_name, sql FROM sqlite_schema")) {
            schema.add(r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(3));
        }
        Collections.sort(schema);
        out.put("#schema", schema);
        out.put("#pragmas", List.of("user_version=" + c.fetchOne("PRAGMA user_version").getLong(0),
                "application_id=" + c.fetchOne("PRAGMA application_id").getLong(0)));
        for (Row t : c.fetchAll("SELECT name, type, wr FROM pragma_table_list WHERE schema = 'main'"
                + " AND type IN ('table', 'virtual') AND name NOT IN ('sqlite_schema', 'sqlite_temp_schema')")) {
            String name = t.getString(0);
            boolean virtual = t.getString(1).equals("virtual");
            List<String> columns = new ArrayList<>();
            for (Row col : c.fetchAll("SELECT name FROM pragma_table_xinfo(?) WHERE hidden <> 1", name)) {
                columns.add(col.getString(0));
            }
            // The rowids of SQLite's own tables mean nothing; those of every other table are part of its rows.
            boolean rowid = !name.startsWith("sqlite_") && t.getLong(2) == 0
                    && columns.stream().noneMatch(n -> n.equalsIgnoreCase("rowid"));
            List<String> exprs = new ArrayList<>();
            if (rowid) {
                exprs.add("rowid");
            }
            for (String col : columns) {
                exprs.add("\"" + col.replace("\"", "\"\"") + "\"");
            }
            StringBuilder sql = new StringBuilder("SELECT ");
            for (int i = 0; i < exprs.size(); i++) {
                String e = exprs.get(i);
                sql.append(i == 0 ? "" : ", ").append("typeof(").append(e).append("), hex(").append(e)
                        .append("), +").append(e);
            }
            sql.append(" FROM \"").append(name.replace("\"", "\"\"")).append('"');
            List<String> rows = new ArrayList<>();
            for (Row r : c.fetchAll(sql.toString())) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < exprs.size(); i++) {
                    String type = r.getString(3 * i);
                    b.append(type).append(':');
                    switch (type) {
                        case "integer" -> b.append((long) (Long) r.get(3 * i + 2));
                        case "real" -> b.append(Long.toHexString(
                                Double.doubleToRawLongBits((Double) r.get(3 * i + 2))));
                        case "null" -> b.append("NULL");
                        default -> b.append(r.getString(3 * i + 1));
                    }
                    b.append(' ');
                }
                rows.add(b.toString());
            }
            Collections.sort(rows);
            out.put((virtual ? "virtual " : "table ") + name, rows);
        }
        return out;
    }
}
