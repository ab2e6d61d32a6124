package io.sqliteasync.internal.sql;

import io.sqliteasync.internal.sql.SqlToken.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts SQL text into tokens the way SQLite's tokenizer ({@code sqlite3GetToken} in {@code tokenize.c}) does, so
 * that every scan of SQL text in sqlite-async agrees with SQLite on where strings, comments, quoted identifiers and
 * parameters begin and end. The tokens cover the text without gaps, in order.
 *
 * <p>Rules, as SQLite's:
 * <ul>
 *   <li>White space is space, tab, newline, form feed and carriage return; a vertical tab continues white space
 *       but cannot start it; a byte-order mark (U+FEFF) starting a token is white space.
 *   <li>{@code --} starts a comment up to the end of the line; {@code /*} a comment up to the closing star-slash
 *       or the end of the text (but a {@code /*} that ends the text is two operators).
 *   <li>{@code '...'} is a string, {@code "..."} and {@code `...`} quoted identifiers (a doubled quote escapes
 *       one), {@code [...]} a quoted identifier without escapes; unterminated, each is {@link Type#ILLEGAL}.
 *   <li>Identifier characters are ASCII letters and digits, {@code _}, {@code $} and every non-ASCII character.
 *   <li>{@code ?} and {@code ?NNN} are positional parameters; {@code :}, {@code @}, {@code #} and {@code $}
 *       followed by identifier characters are named ones, where {@code ::} continues the name and, after at least
 *       one identifier character, a Tcl-style {@code (...)} suffix ends it.
 *   <li>A NUL character ends the SQL text for SQLite: the lexer returns it and everything after it as one
 *       {@link Type#NUL} token.
 * </ul>
 * Pure functions; any thread.
 */
public final class SqlLexer {
    private final String sql;
    private int pos;

    /**
     * A lexer over a text, positioned at its start.
     *
     * @param sql the text
     */
    public SqlLexer(String sql) {
        this.sql = sql;
    }

    /**
     * All tokens of a text.
     *
     * @param sql the text
     * @return its tokens, in order, covering it without gaps
     */
    public static List<SqlToken> tokenize(String sql) {
        List<SqlToken> tokens = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlToken t = lexer.next(); t != null; t = lexer.next()) {
            tokens.add(t);
        }
        return tokens;
    }

    /**
     * The next token.
     *
     * @return the token, or {@code null} at the end of the text
     */
    public SqlToken next() {
        int n = sql.length();
        if (pos >= n) {
            return null;
        }
        int start = pos;
        Type type = scan(start, n);
        return new SqlToken(type, start, pos);
    }

    /** Scans the token at {@code i}, leaves {@link #pos} past it and returns its type. */
    private Type scan(int i, int n) {
        char c = sql.charAt(i);
        switch (c) {
            case 0:
                pos = n;
                return Type.NUL;
            case ' ': case '\t': case '\n': case '\f': case '\r':
                pos = i + 1;
                while (pos < n && isSpace(sql.charAt(pos))) {
                    pos++;
                }
                return Type.SPACE;
            case '\uFEFF':
                pos = i + 1;
                return Type.SPACE;
            case '-':
                if (at(i + 1) == '-') {
                    pos = i + 2;
                    while (pos < n && sql.charAt(pos) != '\n' && sql.charAt(pos) != 0) {
                        pos++;
                    }
                    return Type.COMMENT;
                }
                pos = at(i + 1) == '>' ? (at(i + 2) == '>' ? i + 3 : i + 2) : i + 1;
                return Type.OPERATOR;
            case '/':
                if (at(i + 1) != '*' || at(i + 2) == 0) {
                    pos = i + 1;
                    return Type.OPERATOR;
                }
                pos = i + 2;
                while (pos < n && sql.charAt(pos) != 0) {
                    if (sql.charAt(pos) == '*' && at(pos + 1) == '/') {
                        pos += 2;
                        return Type.COMMENT;
                    }
                    pos++;
                }
                return Type.COMMENT;
            case '(':
                pos = i + 1;
                return Type.LPAREN;
            case ')':
                pos = i + 1;
                return Type.RPAREN;
            case ';':
                pos = i + 1;
                return Type.SEMI;
            case '\'':
            case '"':
            case '`':
                return quoted(i, n, c);
            case '[':
                pos = i + 1;
                while (pos < n && sql.charAt(pos) != ']' && sql.charAt(pos) != 0) {
                    pos++;
                }
                if (pos < n && sql.charAt(pos) == ']') {
                    pos++;
                    return Type.QUOTED_ID;
                }
                return Type.ILLEGAL;
            case '?':
                pos = i + 1;
                while (isDigit(at(pos))) {
                    pos++;
                }
                return Type.PARAMETER;
            case ':':
            case '@':
            case '#':
            case '$':
                return named(i, n);
            case '<':
                pos = i + 1 + (at(i + 1) == '=' || at(i + 1) == '>' || at(i + 1) == '<' ? 1 : 0);
                return Type.OPERATOR;
            case '>':
                pos = i + 1 + (at(i + 1) == '=' || at(i + 1) == '>' ? 1 : 0);
                return Type.OPERATOR;
            case '=':
                pos = i + 1 + (at(i + 1) == '=' ? 1 : 0);
                return Type.OPERATOR;
            case '!':
                if (at(i + 1) == '=') {
                    pos = i + 2;
                    return Type.OPERATOR;
                }
                pos = i + 1;
                return Type.ILLEGAL;
            case '|':
                pos = i + 1 + (at(i + 1) == '|' ? 1 : 0);
                return Type.OPERATOR;
            case ',': case '+': case '*': case '%': case '&': case '~':
                pos = i + 1;
                return Type.OPERATOR;
            case '.':
                if (!isDigit(at(i + 1))) {
                    pos = i + 1;
                    return Type.OPERATOR;
                }
                return number(i);
            case 'x':
            case 'X':
                if (at(i + 1) == '\'') {
                    return blob(i, n);
                }
                return word(i, n);
            default:
                if (isDigit(c)) {
                    return number(i);
                }
                if (isIdChar(c)) {
                    return word(i, n);
                }
                // Other control characters, '\\', ']', '^', '{', '}', DEL.
                pos = i + 1;
                return Type.ILLEGAL;
        }
    }

    private Type quoted(int i, int n, char quote) {
        pos = i + 1;
        while (pos < n && sql.charAt(pos) != 0) {
            if (sql.charAt(pos) == quote) {
                if (at(pos + 1) == quote) {
                    pos += 2;
                    continue;
                }
                pos++;
                return quote == '\'' ? Type.STRING : Type.QUOTED_ID;
            }
            pos++;
        }
        return Type.ILLEGAL;
    }

    private Type named(int i, int n) {
        int j = i + 1;
        int chars = 0;
        Type type = Type.PARAMETER;
        while (j < n) {
            char d = sql.charAt(j);
            if (isIdChar(d)) {
                chars++;
                j++;
            } else if (d == '(' && chars > 0) {
                j++;
                while (j < n && sql.charAt(j) != 0 && !isSpace(sql.charAt(j)) && sql.charAt(j) != ')') {
                    j++;
                }
                if (j < n && sql.charAt(j) == ')') {
                    j++;
                } else {
                    type = Type.ILLEGAL;
                }
                break;
            } else if (d == ':' && at(j + 1) == ':') {
                j += 2;
            } else {
                break;
            }
        }
        pos = j;
        return chars == 0 ? Type.ILLEGAL : type;
    }

    private Type number(int i) {
        int j = i;
        Type type = Type.NUMBER;
        if (sql.charAt(i) == '0' && (at(i + 1) == 'x' || at(i + 1) == 'X') && isHexDigit(at(i + 2))) {
            j = i + 3;
            while (isHexDigit(at(j)) || at(j) == '_') {
                j++;
            }
        } else {
            while (isDigit(at(j)) || at(j) == '_') {
                j++;
            }
            if (at(j) == '.') {
                j++;
                while (isDigit(at(j)) || at(j) == '_') {
                    j++;
                }
            }
            if ((at(j) == 'e' || at(j) == 'E')
                    && (isDigit(at(j + 1)) || (at(j + 1) == '+' || at(j + 1) == '-') && isDigit(at(j + 2)))) {
                j += 2;
                while (isDigit(at(j)) || at(j) == '_') {
                    j++;
                }
            }
        }
        while (isIdChar(at(j))) {
            type = Type.ILLEGAL;
            j++;
        }
        pos = j;
        return type;
    }

    private Type blob(int i, int n) {
        int j = i + 2;
        while (isHexDigit(at(j))) {
            j++;
        }
        Type type = Type.BLOB;
        if (at(j) != '\'' || (j - i) % 2 != 0) {
            type = Type.ILLEGAL;
            while (j < n && sql.charAt(j) != 0 && sql.charAt(j) != '\'') {
                j++;
            }
        }
        if (j < n && sql.charAt(j) == '\'') {
            j++;
        } else {
            type = Type.ILLEGAL;
        }
        pos = j;
        return type;
    }

    private Type word(int i, int n) {
        int j = i + 1;
        while (j < n && isIdChar(sql.charAt(j))) {
            j++;
        }
        pos = j;
        return Type.WORD;
    }

    /** The character at an index, or NUL past the end (as C strings end). */
    private char at(int i) {
        return i < sql.length() ? sql.charAt(i) : 0;
    }

    /**
     * Whether SQLite counts a character as part of an identifier ({@code IdChar}): ASCII letters and digits,
     * {@code _}, {@code $} and anything outside ASCII.
     *
     * @param c the character
     * @return {@code true} for an identifier character
     */
    public static boolean isIdChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'
                || c >= 0x80;
    }

    /** SQLite's {@code sqlite3Isspace}: space, tab, newline, vertical tab, form feed, carriage return. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
