package io.sqliteasync.internal.sql;

import io.sqliteasync.internal.sql.SqlToken.Type;

/**
 * Small questions about SQL text answered with {@link SqlLexer}'s tokens: the first keyword, whether a text is
 * transaction control, how to quote an identifier. Pure functions; any thread.
 */
public final class SqlText {
    private SqlText() {
    }

    /**
     * The first keyword of a text, past white space, comments and semicolons (which SQLite skips too).
     *
     * @param sql the text
     * @return it in upper case, for example {@code "BEGIN"}, or {@code ""} when the text starts with no keyword
     */
    public static String firstKeyword(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlToken t = lexer.next(); t != null; t = lexer.next()) {
            if (!t.isBlank() && t.type() != Type.SEMI) {
                return t.keyword(sql);
            }
        }
        return "";
    }

    /**
     * Whether a text starts with a statement that begins, ends or marks a transaction or savepoint.
     *
     * @param sql the text
     * @return {@code true} for BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT and RELEASE
     */
    public static boolean isTransactionControl(String sql) {
        return SqlStatement.CONTROL.contains(firstKeyword(sql));
    }

    /**
     * Quotes an identifier for SQL text (a savepoint or column name given by the user).
     *
     * @param name the identifier
     * @return it in double quotes, inner double quotes doubled
     */
    public static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
