package io.sqliteasync.internal.sql;

import io.sqliteasync.internal.sql.SqlToken.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements where SQLite would: at semicolons outside strings, quoted identifiers, comments
 * and {@code CREATE TRIGGER ... BEGIN ... END} bodies, also under {@code EXPLAIN} and {@code EXPLAIN QUERY PLAN}.
 * The state machine is that of SQLite's {@code sqlite3_complete} ({@code complete.c}), run over the tokens of
 * {@link SqlLexer}: inside a trigger only a {@code ; END ;} ends the statement, so {@code CASE ... END} in a trigger
 * body does not. Pure functions; any thread.
 */
public final class SqlScript {
    // Token classes and states of sqlite3_complete.
    private static final int TK_SEMI = 0;
    private static final int TK_WS = 1;
    private static final int TK_OTHER = 2;
    private static final int TK_EXPLAIN = 3;
    private static final int TK_CREATE = 4;
    private static final int TK_TEMP = 5;
    private static final int TK_TRIGGER = 6;
    private static final int TK_END = 7;
    private static final int START = 1;
    private static final int[][] TRANS = {
        /*            SEMI WS OTHER EXPLAIN CREATE TEMP TRIGGER END */
        /* INVALID */ {1, 0, 2, 3, 4, 2, 2, 2},
        /* START   */ {1, 1, 2, 3, 4, 2, 2, 2},
        /* NORMAL  */ {1, 2, 2, 2, 2, 2, 2, 2},
        /* EXPLAIN */ {1, 3, 3, 2, 4, 2, 2, 2},
        /* CREATE  */ {1, 4, 2, 2, 2, 4, 5, 2},
        /* TRIGGER */ {6, 5, 5, 5, 5, 5, 5, 5},
        /* SEMI    */ {6, 6, 5, 5, 5, 5, 5, 7},
        /* END     */ {1, 7, 5, 5, 5, 5, 5, 5},
    };

    private SqlScript() {
    }

    /**
     * The statements of a text, dropping empty ones (only white space, comments and semicolons).
     *
     * @param sql the text
     * @return the statements, in order
     */
    public static List<SqlStatement> split(String sql) {
        List<SqlStatement> all = segments(sql);
        all.removeIf(SqlStatement::isBlank);
        return all;
    }

    /**
     * The text cut into pieces that cover it without gaps, each ending just after the semicolon that ends a
     * statement (or at the end of the text); pieces that hold no statement are included.
     *
     * @param sql the text
     * @return the pieces, in order; their {@link SqlStatement#raw()} texts joined give back the text
     */
    public static List<SqlStatement> segments(String sql) {
        List<SqlStatement> pieces = new ArrayList<>();
        List<SqlToken> current = new ArrayList<>();
        int state = 0;
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlToken t = lexer.next(); t != null; t = lexer.next()) {
            current.add(t);
            state = TRANS[state][token(sql, t)];
            if (t.type() == Type.SEMI && state == START) {
                pieces.add(new SqlStatement(sql, current, true));
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            pieces.add(new SqlStatement(sql, current, false));
        }
        return pieces;
    }

    /**
     * Counts the statements of a text, up to two, without building them.
     *
     * @param sql the text
     * @return 0 when it holds only white space, comments and semicolons, 1 for one statement, 2 for more
     */
    public static int count(String sql) {
        int found = 0;
        boolean inStatement = false;
        int state = 0;
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlToken t = lexer.next(); t != null; t = lexer.next()) {
            if (!inStatement && !t.isBlank() && t.type() != Type.SEMI) {
                if (++found > 1) {
                    return 2;
                }
                inStatement = true;
            }
            state = TRANS[state][token(sql, t)];
            if (t.type() == Type.SEMI && state == START) {
                inStatement = false;
            }
        }
        return found;
    }

    /**
     * Whether a text ends with a complete statement, as {@code sqlite3_complete} decides: the last statement
     * ends with a semicolon outside strings, comments and trigger bodies, and no comment, string or quoted
     * identifier is left open. Reading stops at a NUL character, as SQLite's does.
     *
     * @param sql the text
     * @return {@code true} if complete
     */
    public static boolean isComplete(String sql) {
        int state = 0;
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlToken t = lexer.next(); t != null; t = lexer.next()) {
            int tk;
            if (t.type() == Type.NUL) {
                break;
            } else if (t.type() == Type.COMMENT && sql.charAt(t.start()) == '/'
                    && (t.end() - t.start() < 4 || !sql.startsWith("*/", t.end() - 2))) {
                return false; // sqlite3_complete: an unterminated block comment is never complete
            } else if (t.type() == Type.SPACE) {
                // complete.c knows only these five white-space characters.
                tk = TK_WS;
                for (int i = t.start(); i < t.end(); i++) {
                    char c = sql.charAt(i);
                    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                        tk = TK_OTHER;
                    }
                }
            } else {
                tk = token(sql, t);
            }
            state = TRANS[state][tk];
        }
        return state == START;
    }

    /** The sqlite3_complete class of a token. */
    private static int token(String sql, SqlToken t) {
        switch (t.type()) {
            case SEMI:
                return TK_SEMI;
            case SPACE:
            case COMMENT:
                return TK_WS;
            case WORD:
                return keyword(sql, t);
            default:
                return TK_OTHER;
        }
    }

    private static int keyword(String sql, SqlToken t) {
        switch (t.end() - t.start()) {
            case 3:
                return t.is(sql, "END") ? TK_END : TK_OTHER;
            case 4:
                return t.is(sql, "TEMP") ? TK_TEMP : TK_OTHER;
            case 6:
                return t.is(sql, "CREATE") ? TK_CREATE : TK_OTHER;
            case 7:
                return t.is(sql, "TRIGGER") ? TK_TRIGGER : t.is(sql, "EXPLAIN") ? TK_EXPLAIN : TK_OTHER;
            case 9:
                return t.is(sql, "TEMPORARY") ? TK_TEMP : TK_OTHER;
            default:
                return TK_OTHER;
        }
    }
}
