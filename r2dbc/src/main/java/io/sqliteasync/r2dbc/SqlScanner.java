package io.sqliteasync.r2dbc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Splits SQL text into statements and finds their parameters and kind, without SQLite's help: sqlite-jdbc exposes
 * neither the tail of a prepared statement nor {@code sqlite3_stmt_readonly}. Pure functions; any thread.
 */
final class SqlScanner {
    /** What a statement does, which decides where it runs. */
    enum Kind {
        /** Reads only ({@code SELECT}, {@code VALUES}, {@code WITH ... SELECT}, {@code EXPLAIN}, reading pragmas). */
        QUERY,
        /** Changes the database and returns rows ({@code ... RETURNING}). */
        WRITE_ROWS,
        /** Changes the database (DML, DDL, assigning pragmas, ...) and returns no rows. */
        WRITE,
        /** {@code BEGIN}, {@code COMMIT}, {@code ROLLBACK}, {@code END}, {@code SAVEPOINT}, {@code RELEASE}. */
        CONTROL
    }

    /**
     * One statement.
     *
     * @param sql its text, without the terminating semicolon
     * @param kind what it does
     * @param parameterCount SQLite's parameter count: the largest parameter index
     * @param names each named parameter (with its prefix character) and its 1-based index
     * @param dml whether it is an INSERT, UPDATE, DELETE or REPLACE, which may take a RETURNING clause
     * @param returning whether it already has a RETURNING clause
     */
    record Part(String sql, Kind kind, int parameterCount, Map<String, Integer> names, boolean dml,
            boolean returning) {
    }

    private static final Set<String> CONTROL = Set.of("BEGIN", "COMMIT", "ROLLBACK", "END", "SAVEPOINT", "RELEASE");
    private static final Set<String> DML = Set.of("INSERT", "UPDATE", "DELETE", "REPLACE");
    /** The words that may start the statement that follows a WITH clause. */
    private static final Set<String> MAIN = Set.of("SELECT", "VALUES", "INSERT", "UPDATE", "DELETE", "REPLACE");

    private SqlScanner() {
    }

    /**
     * Splits a script into its statements; empty statements (only blanks, comments or semicolons) are dropped.
     *
     * @param sql the text
     * @return the statements, in order
     */
    static List<Part> split(String sql) {
        List<Part> parts = new ArrayList<>();
        int n = sql.length();
        int start = 0;
        int i = 0;
        // State of the statement being scanned.
        List<String> words = new ArrayList<>();
        Map<String, Integer> names = new LinkedHashMap<>();
        int maxIndex = 0;
        boolean assigns = false;
        int triggerDepth = 0;
        boolean inTrigger = false;
        // Parenthesis depth, and the first word at depth 0 that starts a statement (what follows a WITH clause).
        int depth = 0;
        String verb = null;
        while (i <= n) {
            char c = i < n ? sql.charAt(i) : ';';
            if (c == '\'' || c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                int j = i + 1;
                while (j < n) {
                    if (sql.charAt(j) == close) {
                        if (close != ']' && j + 1 < n && sql.charAt(j + 1) == close) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                i = Math.min(j + 1, n + 1);
                if (i > n) {
                    i = n;
                }
                continue;
            }
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int j = sql.indexOf('\n', i);
                i = j < 0 ? n : j + 1;
                continue;
            }
            if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int j = sql.indexOf("*/", i + 2);
                i = j < 0 ? n : j + 2;
                continue;
            }
            if (c == '?') {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                if (j > i + 1) {
                    maxIndex = Math.max(maxIndex, Integer.parseInt(sql.substring(i + 1, j)));
                } else {
                    maxIndex++;
                }
                i = j;
                continue;
            }
            if ((c == ':' || c == '@' || c == '$') && i + 1 < n && isIdentifierPart(sql.charAt(i + 1))) {
                int j = i + 1;
                while (j < n && isIdentifierPart(sql.charAt(j))) {
                    j++;
                }
                String name = sql.substring(i, j);
                if (!names.containsKey(name)) {
                    names.put(name, ++maxIndex);
                }
                i = j;
                continue;
            }
            if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < n && isIdentifierPart(sql.charAt(j))) {
                    j++;
                }
                String w = sql.substring(i, j).toUpperCase(Locale.ROOT);
                words.add(w);
                if (depth == 0 && verb == null && MAIN.contains(w)) {
                    verb = w;
                }
                if (words.size() <= 4 && w.equals("TRIGGER") && words.get(0).equals("CREATE")) {
                    inTrigger = true;
                }
                if (inTrigger) {
                    if (w.equals("BEGIN") || w.equals("CASE")) {
                        triggerDepth++;
                    } else if (w.equals("END") && triggerDepth > 0) {
                        triggerDepth--;
                        if (triggerDepth == 0) {
                            inTrigger = false;
                        }
                    }
                }
                i = j;
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == '=' && !words.isEmpty() && words.get(0).equals("PRAGMA")) {
                assigns = true;
            }
            if (c == ';' && !inTrigger) {
                String text = sql.substring(start, Math.min(i, n)).strip();
                if (!words.isEmpty() || !text.isEmpty() && maxIndex > 0) {
                    parts.add(part(text, words, maxIndex, names, assigns, verb));
                }
                start = i + 1;
                words = new ArrayList<>();
                names = new LinkedHashMap<>();
                maxIndex = 0;
                assigns = false;
                depth = 0;
                verb = null;
            }
            i++;
        }
        return parts;
    }

    private static Part part(String text, List<String> words, int maxIndex, Map<String, Integer> names,
            boolean assigns, String verb) {
        String first = words.isEmpty() ? "" : words.get(0);
        Set<String> all = new HashSet<>(words);
        boolean returning = all.contains("RETURNING");
        // After WITH, the statement is the one its clause introduces: words inside the CTEs (a replace() call, a
        // subquery) do not count.
        boolean dml = DML.contains(first) || first.equals("WITH") && DML.contains(verb);
        Kind kind;
        if (CONTROL.contains(first)) {
            kind = Kind.CONTROL;
        } else if (returning) {
            kind = Kind.WRITE_ROWS;
        } else if (first.equals("SELECT") || first.equals("VALUES") || first.equals("EXPLAIN")
                || first.equals("WITH") && !dml || first.equals("PRAGMA") && !assigns) {
            kind = Kind.QUERY;
        } else {
            kind = Kind.WRITE;
        }
        return new Part(text, kind, maxIndex, Map.copyOf(names), dml, returning);
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /**
     * Quotes an identifier for SQL text (a savepoint or column name given by the user).
     *
     * @param name the identifier
     * @return it in double quotes, inner quotes doubled
     */
    static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
