package io.sqliteasync.internal.worker;

import io.sqliteasync.SqliteBusyException;
import io.sqliteasync.SqliteConstraintException;
import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.Engine;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

/** Turns whatever an engine or user code threw into a {@link SqliteException} that names the problem and the SQL. */
public final class Errors {
    /** Engines whose own exceptions can be translated; written when a connection opens, read by any thread. */
    private static final List<Engine> ENGINES = new CopyOnWriteArrayList<>();

    private Errors() {
    }

    /**
     * Lets {@link #map} translate what an engine's own library throws (user code in {@code run} blocks and
     * initializers uses it directly). Idempotent.
     *
     * @param engine the engine
     */
    static void register(Engine engine) {
        if (!ENGINES.contains(engine)) {
            ENGINES.add(engine);
        }
    }

    /**
     * The same failure with more text after SQLite's message (and before the SQL), of the same class and with the
     * same codes and cause.
     *
     * @param e the failure
     * @param detail what to append
     * @return the new exception, or {@code e} itself (the detail as a suppressed exception) for a class that cannot
     *     be rebuilt
     */
    static SqliteException withDetail(SqliteException e, String detail) {
        String message = messageWithoutSql(e) + detail;
        SqliteException r;
        if (e.getClass() == SqliteBusyException.class) {
            r = new SqliteBusyException(message, e.extendedResultCode(), e.sql(), e.getCause());
        } else if (e.getClass() == SqliteConstraintException.class) {
            r = new SqliteConstraintException(message, e.extendedResultCode(), e.sql(), e.getCause());
        } else if (e.getClass() == SqliteException.class) {
            r = new SqliteException(message, e.extendedResultCode(), e.sql(), e.getCause());
        } else {
            e.addSuppressed(new SqliteException(detail.strip()));
            return e;
        }
        r.setStackTrace(e.getStackTrace());
        for (Throwable s : e.getSuppressed()) {
            r.addSuppressed(s);
        }
        return r;
    }

    /**
     * Maps a failure.
     *
     * @param t what was thrown
     * @param sql the SQL text of the command, or {@code null}
     * @return a {@link SqliteException}; {@code t} itself when it already is one
     */
    public static SqliteException map(Throwable t, String sql) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof SqliteException) {
            return (SqliteException) t;
        }
        for (Engine engine : ENGINES) {
            SqliteException mapped = engine.translate(t, sql);
            if (mapped != null) {
                return mapped;
            }
        }
        if (t instanceof SQLException) {
            SQLException e = (SQLException) t;
            int code = e.getErrorCode() > 0 ? e.getErrorCode() : -1;
            return new SqliteException(String.valueOf(e.getMessage()), code, sql, e);
        }
        if (t instanceof OutOfMemoryError) {
            return new SqliteException("out of memory while running the command: " + t.getMessage(), -1, sql, t);
        }
        return new SqliteException("the command failed: " + t, -1, sql, t);
    }

    /**
     * Maps a failure that a callback caused: a timeout or deadlock in the callback is reported as itself; any other
     * callback exception becomes the cause of the statement's failure.
     *
     * @param t what the statement threw
     * @param sql the SQL text, or {@code null}
     * @param fromCallback what a callback threw during the statement, or {@code null}
     * @return the exception to fail the call with
     */
    public static SqliteException map(Throwable t, String sql, Throwable fromCallback) {
        if (fromCallback == null) {
            return map(t, sql);
        }
        if (fromCallback instanceof io.sqliteasync.SqliteTimeoutException
                || fromCallback instanceof io.sqliteasync.SqliteDeadlockException) {
            return (SqliteException) fromCallback;
        }
        SqliteException mapped = map(t, sql);
        return new SqliteException(messageWithoutSql(mapped) + " (callback threw " + fromCallback + ")",
                mapped.extendedResultCode(), mapped.sql(), fromCallback);
    }

    private static String messageWithoutSql(SqliteException e) {
        String m = e.getMessage();
        int i = m.lastIndexOf(" [SQL: ");
        return i < 0 ? m : m.substring(0, i);
    }
}
