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

    private Exceptions() {
    }

    /** An error of the driver itself, not of SQLite: misuse that only shows when a statement runs. */
    static final class SqliteR2dbcException extends R2dbcNonTransientException {
        private static final long serialVersionUID = 1L;

        SqliteR2dbcException(String message, String sql, Throwable cause) {
            super(message, null, 0, sql, cause);
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
        if (s instanceof SqliteConstraintException) {
            return new R2dbcDataIntegrityViolationException(message, null, code, sql, s);
        }
        if (s instanceof SqliteTimeoutException) {
            return new R2dbcTimeoutException(message, null, code, sql, s);
        }
        if (s instanceof SqliteBusyException) {
            return new R2dbcTransientResourceException(message, null, code, sql, s);
        }
        if (s instanceof SqliteClosedException) {
            return new R2dbcNonTransientResourceException(message, null, code, sql, s);
        }
        switch (s.resultCode()) {
            case SqliteException.SQLITE_BUSY:
            case SqliteException.SQLITE_LOCKED:
                return new R2dbcTransientResourceException(message, null, code, sql, s);
            case SqliteException.SQLITE_CONSTRAINT:
            case SqliteException.SQLITE_MISMATCH:
            case SqliteException.SQLITE_TOOBIG:
                return new R2dbcDataIntegrityViolationException(message, null, code, sql, s);
            case SqliteException.SQLITE_READONLY:
            case SQLITE_PERM:
            case SQLITE_AUTH:
                return new R2dbcPermissionDeniedException(message, null, code, sql, s);
            case SqliteException.SQLITE_CANTOPEN:
            case SqliteException.SQLITE_NOTADB:
                return new R2dbcNonTransientResourceException(message, null, code, sql, s);
            case SqliteException.SQLITE_ERROR:
                if (isGrammar(message)) {
                    return new R2dbcBadGrammarException(message, null, code, sql, s);
                }
                return new SqliteR2dbcException(message, sql, s);
            default:
                return new SqliteR2dbcException(message, sql, s);
        }
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
