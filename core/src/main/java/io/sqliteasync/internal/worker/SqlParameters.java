package io.sqliteasync.internal.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of one SQL statement as SQLite numbers them, found by scanning the text. sqlite-jdbc binds only by
 * index and does not expose {@code sqlite3_bind_parameter_name}, so names are mapped to indexes here, following
 * SQLite's tokenizer (https://www.sqlite.org/lang_expr.html#varparam): {@code ?NNN} is index NNN; {@code ?} and
 * each new {@code :name}, {@code @name} or {@code $name} take the largest index so far plus one; a repeated name
 * reuses its index. String literals, quoted identifiers ({@code "x"}, {@code `x`}, {@code [x]}) and comments are
 * skipped. Immutable.
 *
 * @param count the number of parameters SQLite will report (the largest index)
 * @param names for each index from 1, the name with its prefix ({@code :id}), or {@code null} for a positional one
 * @param positional whether the statement has {@code ?} or {@code ?NNN} parameters
 */
record SqlParameters(int count, List<String> names, boolean positional) {

    /** Whether any parameter is named. */
    boolean hasNames() {
        for (String n : names) {
            if (n != null) {
                return true;
            }
        }
        return false;
    }

    static SqlParameters parse(String sql) {
        Map<String, Integer> named = new LinkedHashMap<>();
        Map<Integer, String> byIndex = new java.util.HashMap<>();
        int max = 0;
        boolean positional = false;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            switch (c) {
                case '\'':
                case '"':
                case '`':
                    i = skipQuoted(sql, i, c);
                    break;
                case '[':
                    i = skipTo(sql, i + 1, "]");
                    break;
                case '-':
                    i = i + 1 < n && sql.charAt(i + 1) == '-' ? skipTo(sql, i + 2, "\n") : i + 1;
                    break;
                case '/':
                    i = i + 1 < n && sql.charAt(i + 1) == '*' ? skipTo(sql, i + 2, "*/") : i + 1;
                    break;
                case '?': {
                    positional = true;
                    int j = i + 1;
                    while (j < n && Character.isDigit(sql.charAt(j))) {
                        j++;
                    }
                    if (j > i + 1) {
                        max = Math.max(max, Integer.parseInt(sql.substring(i + 1, Math.min(j, i + 10))));
                    } else {
                        max++;
                    }
                    i = j;
                    break;
                }
                case ':':
                case '@':
                case '$': {
                    // As SQLite's tokenizer: identifier chars (including '$'), '::' and a Tcl-style "(...)" suffix
                    // belong to the name, whatever its prefix.
                    int j = i + 1;
                    int chars = 0;
                    while (j < n) {
                        char d = sql.charAt(j);
                        if (isIdentifierPart(d)) {
                            j++;
                            chars++;
                        } else if (d == '(' && chars > 0) {
                            int close = j;
                            while (close < n && sql.charAt(close) != ')' && !Character.isWhitespace(sql.charAt(close))) {
                                close++;
                            }
                            j = close < n && sql.charAt(close) == ')' ? close + 1 : close;
                            break;
                        } else if (d == ':' && j + 1 < n && sql.charAt(j + 1) == ':') {
                            j += 2; // Tcl-style $a::b
                        } else {
                            break;
                        }
                    }
                    if (chars > 0) {
                        String name = sql.substring(i, j);
                        if (!named.containsKey(name)) {
                            named.put(name, ++max);
                            byIndex.put(max, name);
                        }
                    }
                    i = Math.max(j, i + 1);
                    break;
                }
                default:
                    // An identifier or keyword is one token: a '$' inside it (a$b) starts no parameter.
                    if (isIdentifierPart(c) && !(c >= '0' && c <= '9')) {
                        i++;
                        while (i < n && isIdentifierPart(sql.charAt(i))) {
                            i++;
                        }
                    } else {
                        i++;
                    }
            }
        }
        List<String> names = new ArrayList<>(max);
        for (int k = 1; k <= max; k++) {
            names.add(byIndex.get(k));
        }
        return new SqlParameters(max, Collections.unmodifiableList(names), positional);
    }

    private static boolean isIdentifierPart(char d) {
        return d == '_' || d == '$' || d >= 0x80 || (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || (d >= '0' && d <= '9');
    }

    /** Past a quoted token, where a doubled quote is an escaped one. */
    private static int skipQuoted(String sql, int i, char quote) {
        int j = i + 1;
        while (j < sql.length()) {
            if (sql.charAt(j) == quote) {
                if (j + 1 < sql.length() && sql.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return j;
    }

    private static int skipTo(String sql, int from, String end) {
        int j = sql.indexOf(end, from);
        return j < 0 ? sql.length() : j + end.length();
    }
}
