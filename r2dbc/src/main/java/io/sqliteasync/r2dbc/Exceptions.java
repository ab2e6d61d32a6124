package io.sqliteasync.r2dbc;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import io.sqliteasync.SqliteBusyException;
import io.sqliteasync.SqliteClosedException;
import io.sqliteasync.SqliteConstraintException;
import io.sqliteasync.SqliteException;
import io.sqliteasync.SqliteTimeoutException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Maps sqlite-async errors to the R2DBC exception classes. Pure; any thread. */
final class Exceptions {
    private static final int SQLITE_PERM = 3;
    private static final int SQLITE_AUTH = 23;
    private static final int SQLITE_CORRUPT = 11;

    private Exceptions() {
    }

    /** An error of the driver itself, not of SQLite: misuse that only shows when a statement runs. */
    static final class SqliteR2dbcException extends R2dbcNonTransientException {
        private static final long serialVersionUID = 1L;

        SqliteR2dbcException(String message, String sql, Throwable cause) {
            super(message, "HY000", 0, sql, cause);
        }

        SqliteR2dbcException(String message, String sqlState, int errorCode, String sql, Throwable cause) {
            super(message, sqlState, errorCode, sql, cause);
        }
    }

    static Throwable map(Throwable t) {
        Throwable e = unwrap(t);
        if (!(e instanceof SqliteException)) {
            return e;
        }
        SqliteException s = (SqliteException) e;
        String message = s.getMessage();
        String sql = s.sql();
        int code = s.extendedResultCode();
        String state = sqlState(s);
        if (s instanceof SqliteConstraintException) {
            return new R2dbcDataIntegrityViolationException(message, state, code, sql, s);
        }
        if (s instanceof SqliteTimeoutException) {
            return new R2dbcTimeoutException(message, state, code, sql, s);
        }
        if (s instanceof SqliteBusyException) {
            return new R2dbcTransientResourceException(message, state, code, sql, s);
        }
        if (s instanceof SqliteClosedException) {
            return new R2dbcNonTransientResourceException(message, state, code, sql, s);
        }
        switch (s.resultCode()) {
            case SqliteException.SQLITE_BUSY:
            case SqliteException.SQLITE_LOCKED:
                return new R2dbcTransientResourceException(message, state, code, sql, s);
            case SqliteException.SQLITE_CONSTRAINT:
            case SqliteException.SQLITE_MISMATCH:
            case SqliteException.SQLITE_TOOBIG:
                return new R2dbcDataIntegrityViolationException(message, state, code, sql, s);
            case SqliteException.SQLITE_READONLY:
            case SQLITE_PERM:
            case SQLITE_AUTH:
                return new R2dbcPermissionDeniedException(message, state, code, sql, s);
            case SqliteException.SQLITE_CANTOPEN:
            case SqliteException.SQLITE_NOTADB:
            case SQLITE_CORRUPT:
                return new R2dbcNonTransientResourceException(message, state, code, sql, s);
            case SqliteException.SQLITE_ERROR:
                if (isGrammar(message)) {
                    return new R2dbcBadGrammarException(message, state, code, sql, s);
                }
                return new SqliteR2dbcException(message, state, code, sql, s);
            default:
                return new SqliteR2dbcException(message, state, code, sql, s);
        }
    }

    /**
     * The SQLSTATE for a sqlite-async error, so that frameworks that classify by SQLSTATE (Spring's
     * {@code DuplicateKeyException} needs {@code 23505}) see SQLite's errors as they see other databases'. The table
     * is in docs/r2dbc.md ("Errors").
     */
    static String sqlState(SqliteException s) {
        if (s instanceof SqliteConstraintException) {
            switch (((SqliteConstraintException) s).kind()) {
                case UNIQUE:
                case PRIMARY_KEY:
                    return "23505";
                case FOREIGN_KEY:
                    return "23503";
                case NOT_NULL:
                    return "23502";
                case CHECK:
                    return "23514";
                default:
                    return "23000";
            }
        }
        if (s instanceof SqliteTimeoutException) {
            return "HYT00";
        }
        if (s instanceof SqliteBusyException) {
            return "40001";
        }
        if (s instanceof SqliteClosedException) {
            return "08003";
        }
        switch (s.resultCode()) {
            case SqliteException.SQLITE_BUSY:
            case SqliteException.SQLITE_LOCKED:
                return "40001";
            case SqliteException.SQLITE_CONSTRAINT:
                return "23000";
            case SqliteException.SQLITE_MISMATCH:
                return "22000";
            case SqliteException.SQLITE_TOOBIG:
                return "54000";
            case SqliteException.SQLITE_READONLY:
                return "25006";
            case SQLITE_PERM:
            case SQLITE_AUTH:
                return "42501";
            case SqliteException.SQLITE_INTERRUPT:
                return "57014";
            case SqliteException.SQLITE_CANTOPEN:
                return "08001";
            case SqliteException.SQLITE_NOTADB:
            case SQLITE_CORRUPT:
                return "XX001";
            case SqliteException.SQLITE_ERROR:
                return grammarState(s.getMessage());
            default:
                return "HY000";
        }
    }

    private static String grammarState(String message) {
        if (!isGrammar(message)) {
            return "HY000";
        }
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("no such table")) {
            return "42S02";
        }
        if (m.contains("no such column") || m.contains("has no column named")) {
            return "42S22";
        }
        if (m.contains("already exists")) {
            return "42S01";
        }
        return "42000";
    }

    /** SQLite reports grammar and schema errors as plain SQLITE_ERROR; only the message tells them apart. */
    private static boolean isGrammar(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("syntax error") || m.contains("no such table") || m.contains("no such column")
                || m.contains("no such function") || m.contains("already exists") || m.contains("ambiguous column")
                || m.contains("has no column named") || m.contains("values were supplied")
                || m.contains("incomplete input") || m.contains("unrecognized token")
                || m.contains("wrong number of arguments");
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    static boolean isR2dbc(Throwable t) {
        return t instanceof R2dbcException;
    }
}
