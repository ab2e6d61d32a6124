package io.sqliteasync.internal.worker;

/**
 * Counts the statements of an SQL text (none, one or more), with the tokenizer and state machine of SQLite's {@code sqlite3_complete}
 * (so semicolons inside strings, comments and {@code CREATE TRIGGER} bodies do not end a statement). sqlite-jdbc
 * prepares only the first statement of a text and drops the rest without a word; this lets the session refuse
 * such texts instead.
 */
final class SqlText {
    /** The text holds no statement: only whitespace, comments and semicolons. */
    static final int EMPTY = 0;
    /** The text holds exactly one statement, possibly followed by semicolons, whitespace and comments. */
    static final int ONE = 1;
    /** The text holds more than one statement. */
    static final int MANY = 2;

    private static final int SEMI = 0;
    private static final int WS = 1;
    private static final int OTHER = 2;
    private static final int EXPLAIN = 3;
    private static final int CREATE = 4;
    private static final int TEMP = 5;
    private static final int TRIGGER = 6;
    private static final int END = 7;

    // From sqlite3_complete (complete.c): states INVALID, START, NORMAL, EXPLAIN, CREATE, TRIGGER, SEMI, END.
    private static final int[][] TRANS = {
        {1, 0, 2, 3, 4, 2, 2, 2},
        {1, 1, 2, 3, 4, 2, 2, 2},
        {1, 2, 2, 2, 2, 2, 2, 2},
        {1, 3, 3, 2, 4, 2, 2, 2},
        {1, 4, 2, 2, 2, 4, 5, 2},
        {6, 5, 5, 5, 5, 5, 5, 5},
        {6, 6, 5, 5, 5, 5, 5, 7},
        {1, 7, 5, 5, 5, 5, 5, 5},
    };

    private SqlText() {
    }

    /**
     * Counts the statements of a text, up to two.
     *
     * @param sql the text
     * @return {@link #EMPTY}, {@link #ONE} or {@link #MANY}
     */
    static int statements(String sql) {
        int state = 0;
        int found = 0;
        boolean inStatement = false;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int token;
            if (c == ';') {
                token = SEMI;
                i++;
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                token = WS;
                i++;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
                token = WS;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i + 2);
                i = eol < 0 ? n : eol + 1;
                token = WS;
            } else if (c == '[' || c == '`' || c == '"' || c == '\'') {
                int close = sql.indexOf(c == '[' ? ']' : c, i + 1);
                i = close < 0 ? n : close + 1;
                token = OTHER;
            } else if (isIdChar(c)) {
                int start = i;
                while (i < n && isIdChar(sql.charAt(i))) {
                    i++;
                }
                token = keyword(sql.substring(start, i));
            } else {
                token = OTHER;
                i++;
            }
            if (token != SEMI && token != WS && !inStatement) {
                if (found == 1) {
                    return MANY;
                }
                found = 1;
                inStatement = true;
            }
            state = TRANS[state][token];
            if (token == SEMI && state == 1) {
                inStatement = false;
            }
        }
        return found == 0 ? EMPTY : ONE;
    }

    private static boolean isIdChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }

    private static int keyword(String word) {
        switch (word.length()) {
            case 3:
                return word.equalsIgnoreCase("end") ? END : OTHER;
            case 4:
                return word.equalsIgnoreCase("temp") ? TEMP : OTHER;
            case 6:
                return word.equalsIgnoreCase("create") ? CREATE : OTHER;
            case 7:
                return word.equalsIgnoreCase("trigger") ? TRIGGER
                        : word.equalsIgnoreCase("explain") ? EXPLAIN : OTHER;
            case 9:
                return word.equalsIgnoreCase("temporary") ? TEMP : OTHER;
            default:
                return OTHER;
        }
    }
}
