package io.sqliteasync.dqlite;

import io.sqliteasync.internal.sql.SqlStatement;
import io.sqliteasync.internal.sql.SqlToken;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Whether a transaction is open on a dqlite connection, followed from the statements that succeed on it: dqlite has
 * no request for {@code sqlite3_get_autocommit}. BEGIN opens; COMMIT, END and ROLLBACK close; SAVEPOINT outside a
 * transaction opens one that the RELEASE of its outermost savepoint commits. SQLite may also roll a transaction back
 * on its own after some failures; the engine asks the server after every failure inside a transaction
 * ({@link DqliteEngineConnection}). Owner thread only.
 */
final class TransactionTracker {
    /** What a statement does to a transaction, which decides what may be repeated after a broken connection. */
    enum Access {
        /** Reads only: safe to repeat outside a transaction. */
        READ,
        /** Changes data: never repeated once sent. */
        WRITE,
        /** Ends the transaction with a commit (COMMIT, END, the RELEASE of a transaction's outermost savepoint). */
        COMMIT,
        /** ROLLBACK: done anyway when the connection breaks. */
        ROLLBACK,
        /** BEGIN, SAVEPOINT, ROLLBACK TO, an inner RELEASE: effects local to the connection. */
        CONTROL
    }

    /** What a successful statement did. */
    enum Effect {
        NONE, BEGIN, COMMIT, ROLLBACK
    }

    private boolean active;
    /** Whether the transaction was opened by a SAVEPOINT, so that releasing its outermost savepoint commits. */
    private boolean bySavepoint;
    private final Deque<String> savepoints = new ArrayDeque<>();

    boolean active() {
        return active;
    }

    /** Forgets the transaction: it was rolled back by the server or lost with its connection. */
    void reset() {
        active = false;
        bySavepoint = false;
        savepoints.clear();
    }

    Access access(SqlStatement st) {
        switch (st.kind()) {
            case QUERY:
                return Access.READ;
            case WRITE:
            case WRITE_ROWS:
                return Access.WRITE;
            default:
                break;
        }
        List<String> w = words(st);
        String first = w.get(0);
        switch (first) {
            case "COMMIT":
            case "END":
                return Access.COMMIT;
            case "ROLLBACK":
                return rollbackTo(w) != null ? Access.CONTROL : Access.ROLLBACK;
            case "RELEASE":
                return active && bySavepoint && releasesAll(name(w)) ? Access.COMMIT : Access.CONTROL;
            default:
                return Access.CONTROL;
        }
    }

    /** Follows a statement that succeeded. */
    Effect apply(SqlStatement st) {
        if (!st.isTransactionControl()) {
            return Effect.NONE;
        }
        List<String> w = words(st);
        switch (w.get(0)) {
            case "BEGIN":
                reset();
                active = true;
                return Effect.BEGIN;
            case "COMMIT":
            case "END":
                return end(Effect.COMMIT);
            case "ROLLBACK": {
                String to = rollbackTo(w);
                if (to == null) {
                    return end(Effect.ROLLBACK);
                }
                while (!savepoints.isEmpty() && !savepoints.peek().equals(to)) {
                    savepoints.pop();
                }
                return Effect.NONE;
            }
            case "SAVEPOINT": {
                Effect e = Effect.NONE;
                if (!active) {
                    active = true;
                    bySavepoint = true;
                    e = Effect.BEGIN;
                }
                savepoints.push(name(w));
                return e;
            }
            case "RELEASE": {
                String name = name(w);
                if (!savepoints.contains(name)) {
                    return Effect.NONE;
                }
                while (!savepoints.pop().equals(name)) {
                    // pop up to and including the named savepoint
                }
                return savepoints.isEmpty() && bySavepoint ? end(Effect.COMMIT) : Effect.NONE;
            }
            default:
                return Effect.NONE;
        }
    }

    private Effect end(Effect e) {
        boolean was = active;
        reset();
        return was ? e : Effect.NONE;
    }

    private boolean releasesAll(String name) {
        return !savepoints.isEmpty() && savepoints.peekLast().equals(name);
    }

    /** The savepoint of {@code ROLLBACK [TRANSACTION] TO [SAVEPOINT] name}, or {@code null} for a full rollback. */
    private static String rollbackTo(List<String> w) {
        int i = 1;
        if (i < w.size() && w.get(i).equals("TRANSACTION")) {
            i++;
        }
        return i < w.size() && w.get(i).equals("TO") ? name(w) : null;
    }

    private static String name(List<String> w) {
        String n = w.get(w.size() - 1);
        if (n.length() >= 2 && (n.charAt(0) == '"' || n.charAt(0) == '`' || n.charAt(0) == '[' || n.charAt(0) == '\'')) {
            n = n.substring(1, n.length() - 1);
        }
        return n.toLowerCase(Locale.ROOT);
    }

    /** The words of a statement: keywords in upper case, identifiers as written. */
    private static List<String> words(SqlStatement st) {
        String src = st.raw();
        int base = st.start();
        List<String> out = new ArrayList<>();
        for (SqlToken t : st.tokens()) {
            if (t.isBlank() || t.type() == SqlToken.Type.SEMI) {
                continue;
            }
            String text = src.substring(t.start() - base, t.end() - base);
            out.add(t.type() == SqlToken.Type.WORD ? text.toUpperCase(Locale.ROOT) : text);
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }
}
