package io.sqliteasync.bench;

import io.sqliteasync.BatchMode;
import io.sqliteasync.Row;

/**
 * The aio_bench workload of APSW's {@code tools/aio_bench.py}, as described in {@code AIO_BENCH_SPEC.md}: the SQL
 * text (byte-identical to the original), the prefetch sizes and the row target that ends the loop.
 */
final class Workload {
    /** Run once per run as one multi-statement call ({@code sqlite3_exec}). */
    static final String SETUP = "create table foo(one, two, three, four, five);\n"
            + "insert into foo values(1, 2, 3, 4, 5);\n"
            + "insert into foo values(5, 4, 3, 2, 1);\n";
    static final String COUNT = "select count(*) from foo";
    static final String SOURCE = "select * from foo limit 1000";
    /** The leading and trailing newline are part of the original text. */
    static final String INSERT = "\ninsert into foo values(?,?,?,?,?)\n";
    /** The loop ends once COUNT returns more than this. */
    static final long FULL_TARGET = 300_000;
    static final int[] PREFETCHES = {1, 2, 16, 64, 512, 8192, 65536};

    private Workload() {
    }

    /** The two transaction semantics of the port; the spec's section 6 explains why both exist. */
    enum Semantics {
        /** Each inserted row is its own implicit transaction, as in the APSW rows of the original. */
        AUTOCOMMIT("autocommit", BatchMode.AUTOCOMMIT),
        /** Each executeMany call is one transaction. */
        ATOMIC("atomic", BatchMode.ATOMIC);

        final String label;
        final BatchMode mode;

        Semantics(String label, BatchMode mode) {
            this.label = label;
            this.mode = mode;
        }
    }

    /** Copies a row's values into a fresh parameter set, the way the original appends each tuple to its list. */
    static Object[] values(Row row) {
        Object[] v = new Object[row.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = row.get(i);
        }
        return v;
    }
}
