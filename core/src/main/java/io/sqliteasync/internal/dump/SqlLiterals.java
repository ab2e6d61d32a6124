package io.sqliteasync.internal.dump;

/**
 * SQL text for stored values and names, exact enough that running the text gives back the very value: the same
 * storage class, the same 64-bit integer, the same bits of a double, the same characters, the same bytes.
 */
public final class SqlLiterals {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SqlLiterals() {
    }

    /**
     * The literal for one stored value.
     *
     * @param v {@code null}, {@link Long}, {@link Double}, {@link String} or {@code byte[]}, as a row holds them
     * @return the SQL text that evaluates to exactly that value
     */
    public static String literal(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Long || v instanceof Integer) {
            // Long.MIN_VALUE needs no care: SQLite folds the unary minus of 9223372036854775808 into an integer.
            return v.toString();
        }
        if (v instanceof Double) {
            return real((Double) v);
        }
        if (v instanceof String) {
            return text((String) v);
        }
        if (v instanceof byte[]) {
            return blob((byte[]) v);
        }
        throw new IllegalArgumentException("not a stored SQLite value: " + v.getClass().getName());
    }

    /**
     * A REAL literal. {@link Double#toString} gives digits that read back as the same double, and SQLite's parser
     * rounds them correctly; {@code -0.0} keeps its sign; infinities become {@code 9e999} and {@code -9e999}, as the
     * sqlite3 shell writes them. SQLite stores NaN as NULL, so a NaN (never read from a table) is written as NULL.
     */
    static String real(double d) {
        if (Double.isNaN(d)) {
            return "NULL";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "9e999" : "-9e999";
        }
        return Double.toString(d);
    }

    /**
     * A TEXT literal: {@code '...'} with quotes doubled; text with control characters (U+0000 to U+001F and U+007F,
     * which would not survive line-oriented tools, and NUL, which would end the statement) becomes
     * {@code unistr('...')} with <code>&#92;uXXXX</code> escapes (SQLite 3.50 or later reads it).
     */
    static String text(String s) {
        boolean control = false;
        for (int i = 0; i < s.length() && !control; i++) {
            control = isControl(s.charAt(i));
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        if (!control) {
            b.append('\'');
            appendQuoted(b, s);
            return b.append('\'').toString();
        }
        b.append("unistr('");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                b.append("''");
            } else if (c == '\\') {
                b.append("\\\\");
            } else if (isControl(c)) {
                b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                b.append(c);
            }
        }
        return b.append("')").toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7F;
    }

    private static void appendQuoted(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                b.append('\'');
            }
            b.append(c);
        }
    }

    /** A BLOB literal, {@code X'..'} in upper-case hex. */
    static String blob(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 2 + 3).append("X'");
        for (byte x : bytes) {
            b.append(HEX[(x >> 4) & 0xF]).append(HEX[x & 0xF]);
        }
        return b.append('\'').toString();
    }

    /**
     * A quoted identifier: {@code "name"} with double quotes doubled, safe for any name (keywords, spaces, quotes,
     * any Unicode).
     *
     * @param name the name
     * @return the quoted name
     */
    public static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
