package io.sqliteasync.internal.sql;

import java.util.Locale;

/**
 * One token of SQL text, as {@link SqlLexer} cuts it: a kind and a range of the text. Immutable.
 *
 * @param type what the token is
 * @param start the index of its first character in the text
 * @param end the index just past its last character
 */
public record SqlToken(Type type, int start, int end) {

    /** The kinds of token, following SQLite's tokenizer ({@code tokenize.c}). */
    public enum Type {
        /** White space: space, tab, newline, form feed, carriage return (and a byte-order mark). */
        SPACE,
        /** A line comment ({@code --} up to, not including, the newline) or a block comment, maybe unterminated. */
        COMMENT,
        /** A keyword or a bare identifier: letters, digits, {@code _}, {@code $} and non-ASCII characters. */
        WORD,
        /** A quoted identifier: {@code "x"}, {@code `x`} or {@code [x]}. */
        QUOTED_ID,
        /** A string literal {@code '...'} ({@code ''} is an escaped quote). */
        STRING,
        /** A blob literal {@code x'...'}. */
        BLOB,
        /** A numeric literal. */
        NUMBER,
        /** A parameter: {@code ?}, {@code ?NNN}, {@code :name}, {@code @name}, {@code #name} or {@code $name}. */
        PARAMETER,
        /** {@code (}. */
        LPAREN,
        /** {@code )}. */
        RPAREN,
        /** {@code ;}. */
        SEMI,
        /** Any other operator or punctuation ({@code =}, {@code ||}, {@code ,}, {@code .}, ...). */
        OPERATOR,
        /**
         * Text SQLite refuses as "unrecognized token": an unterminated string or quoted identifier, a control
         * character, a number run into letters ({@code 1a}), a parameter prefix without a name, ...
         */
        ILLEGAL,
        /** A NUL character and everything after it: SQLite stops reading SQL text at the first NUL. */
        NUL
    }

    /**
     * The token's text.
     *
     * @param sql the text the token was cut from
     * @return the characters of the token
     */
    public String text(String sql) {
        return sql.substring(start, end);
    }

    /**
     * Whether this token is a {@link Type#WORD} equal to a keyword, ignoring case.
     *
     * @param sql the text the token was cut from
     * @param keyword the keyword, upper case
     * @return {@code true} if it is that word
     */
    public boolean is(String sql, String keyword) {
        return type == Type.WORD && end - start == keyword.length()
                && sql.regionMatches(true, start, keyword, 0, keyword.length());
    }

    /**
     * The word upper case, for a {@link Type#WORD}.
     *
     * @param sql the text the token was cut from
     * @return the word in upper case (root locale), or {@code ""} for other tokens
     */
    public String keyword(String sql) {
        return type == Type.WORD ? text(sql).toUpperCase(Locale.ROOT) : "";
    }

    /** Whether SQLite skips this token between statements and keywords: white space or a comment. */
    public boolean isBlank() {
        return type == Type.SPACE || type == Type.COMMENT;
    }
}
