package io.sqliteasync.internal.pool;

import java.util.Locale;

/** Looks at SQL text just enough to route it: the first keyword, past white space and comments. */
public final class SqlText {
    private SqlText() {
    }

    /**
     * The first keyword of a statement, upper case.
     *
     * @param sql the statement
     * @return for example {@code "BEGIN"}, or {@code ""} when there is none
     */
    public static String firstKeyword(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == ';') {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toUpperCase(Locale.ROOT);
    }

    /**
     * Whether a statement starts or ends a transaction or savepoint.
     *
     * @param sql the statement
     * @return {@code true} for BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT and RELEASE
     */
    public static boolean isTransactionControl(String sql) {
        switch (firstKeyword(sql)) {
            case "BEGIN":
            case "COMMIT":
            case "END":
            case "ROLLBACK":
            case "SAVEPOINT":
            case "RELEASE":
                return true;
            default:
                return false;
        }
    }
}
