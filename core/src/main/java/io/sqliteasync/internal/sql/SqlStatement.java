package io.sqliteasync.internal.sql;

import io.sqliteasync.internal.sql.SqlToken.Type;
import java.util.List;
import java.util.Set;

/**
 * One statement of an SQL text, as {@link SqlScript#split} cuts it, with what callers need to know about it
 * without preparing it: its text, first keyword, kind, parameters and whether it has a RETURNING clause.
 * Immutable; any thread.
 */
public final class SqlStatement {
    /** What a statement does, which decides where it runs. */
    public enum Kind {
        /** Reads only: {@code SELECT}, {@code VALUES}, {@code WITH ... SELECT}, {@code EXPLAIN ...}, reading pragmas. */
        QUERY,
        /** Changes the database and returns rows: INSERT, UPDATE, DELETE or REPLACE with {@code RETURNING}. */
        WRITE_ROWS,
        /** Changes the database (DML, DDL, assigning pragmas, anything unknown) and returns no rows. */
        WRITE,
        /** {@code BEGIN}, {@code COMMIT}, {@code END}, {@code ROLLBACK}, {@code SAVEPOINT}, {@code RELEASE}. */
        CONTROL
    }

    static final Set<String> CONTROL = Set.of("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE");
    private static final Set<String> DML = Set.of("INSERT", "UPDATE", "DELETE", "REPLACE");
    /** The words that may start the statement a WITH clause introduces. */
    private static final Set<String> MAIN = Set.of("SELECT", "VALUES", "INSERT", "UPDATE", "DELETE", "REPLACE");

    private final String source;
    private final int start;
    private final int end;
    private final List<SqlToken> tokens;
    private final String text;
    private final String firstKeyword;
    private final boolean dml;
    private final boolean returning;
    private final Kind kind;
    private SqlParameters parameters;

    SqlStatement(String source, List<SqlToken> tokens, boolean terminated) {
        this.source = source;
        this.tokens = List.copyOf(tokens);
        this.start = tokens.isEmpty() ? 0 : tokens.get(0).start();
        this.end = tokens.isEmpty() ? 0 : tokens.get(tokens.size() - 1).end();
        this.text = trimmed(terminated);
        String first = "";
        for (SqlToken t : tokens) {
            if (!t.isBlank() && t.type() != Type.SEMI) {
                first = t.keyword(source);
                break;
            }
        }
        this.firstKeyword = first;
        // Scan at parenthesis depth 0: the verb that follows a WITH clause (the first word right after a closing
        // parenthesis of a common table expression), RETURNING, and '=' of an assigning PRAGMA.
        String verb = null;
        boolean returningWord = false;
        boolean assigns = false;
        int depth = 0;
        boolean afterClose = false;
        for (SqlToken t : tokens) {
            if (t.isBlank()) {
                continue;
            }
            if (depth == 0 && afterClose && verb == null && t.type() == Type.WORD && MAIN.contains(t.keyword(source))) {
                verb = t.keyword(source);
            }
            afterClose = false;
            if (t.type() == Type.LPAREN) {
                depth++;
            } else if (t.type() == Type.RPAREN) {
                depth = Math.max(0, depth - 1);
                afterClose = depth == 0;
            } else if (depth == 0 && t.is(source, "RETURNING")) {
                returningWord = true;
            } else if (depth == 0 && t.type() == Type.OPERATOR && source.charAt(t.start()) == '=') {
                assigns = true;
            }
        }
        this.dml = DML.contains(first) || first.equals("WITH") && verb != null && DML.contains(verb);
        this.returning = dml && returningWord;
        if (CONTROL.contains(first)) {
            kind = Kind.CONTROL;
        } else if (first.equals("EXPLAIN")) {
            kind = Kind.QUERY;
        } else if (returning) {
            kind = Kind.WRITE_ROWS;
        } else if (first.equals("SELECT") || first.equals("VALUES") || first.equals("WITH") && !dml
                || first.equals("PRAGMA") && !assigns) {
            kind = Kind.QUERY;
        } else {
            kind = Kind.WRITE;
        }
    }

    /** The text from the first token that is not white space to the last one, without a terminating semicolon. */
    private String trimmed(boolean terminated) {
        int from = 0;
        while (from < tokens.size() && tokens.get(from).type() == Type.SPACE) {
            from++;
        }
        int to = tokens.size() - 1;
        if (terminated && to >= from && tokens.get(to).type() == Type.SEMI) {
            to--;
        }
        while (to >= from && tokens.get(to).type() == Type.SPACE) {
            to--;
        }
        return to < from ? "" : source.substring(tokens.get(from).start(), tokens.get(to).end());
    }

    /**
     * The statement's text, as it should be sent to SQLite on its own: without surrounding white space and
     * without the semicolon that ends it (comments before it stay).
     *
     * @return the text
     */
    public String text() {
        return text;
    }

    /**
     * The raw range of the whole text this statement covers: from just after the previous statement's
     * semicolon to just after its own (white space, comments and the semicolon included).
     *
     * @return the raw text
     */
    public String raw() {
        return source.substring(start, end);
    }

    /**
     * Where {@link #raw()} starts in the whole text.
     *
     * @return the index of its first character
     */
    public int start() {
        return start;
    }

    /**
     * Where {@link #raw()} ends in the whole text.
     *
     * @return the index just past its last character
     */
    public int end() {
        return end;
    }

    /**
     * The tokens of {@link #raw()}.
     *
     * @return the tokens, positioned in the whole text
     */
    public List<SqlToken> tokens() {
        return tokens;
    }

    /**
     * Whether the statement is only white space, comments and semicolons (SQLite prepares nothing for it).
     *
     * @return {@code true} if blank
     */
    public boolean isBlank() {
        for (SqlToken t : tokens) {
            if (!t.isBlank() && t.type() != Type.SEMI) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first keyword, past white space, comments and semicolons.
     *
     * @return it in upper case, for example {@code "SELECT"}, or {@code ""} when the statement starts otherwise
     */
    public String firstKeyword() {
        return firstKeyword;
    }

    /**
     * What the statement does.
     *
     * @return its kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Whether the statement begins, ends or marks a transaction or savepoint.
     *
     * @return {@code true} for BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT and RELEASE
     */
    public boolean isTransactionControl() {
        return kind == Kind.CONTROL;
    }

    /**
     * Whether it is an INSERT, UPDATE, DELETE or REPLACE (maybe after a WITH clause), which may take a RETURNING
     * clause.
     *
     * @return {@code true} for data-changing statements
     */
    public boolean isDml() {
        return dml;
    }

    /**
     * Whether it is DML with a RETURNING clause of its own.
     *
     * @return {@code true} if it returns rows of changed data
     */
    public boolean hasReturning() {
        return returning;
    }

    /**
     * Its parameters, numbered as SQLite numbers them.
     *
     * @return the parameters
     */
    public SqlParameters parameters() {
        SqlParameters p = parameters;
        if (p == null) {
            p = SqlParameters.of(source, tokens);
            parameters = p;
        }
        return p;
    }

    @Override
    public String toString() {
        return kind + " " + text;
    }
}
