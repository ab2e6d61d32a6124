package io.sqliteasync.internal.engine;

import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.SqliteException;
import java.util.Set;

/**
 * A way to reach SQLite: the only thing the worker and the pool know about how SQL gets run. One implementation
 * wraps sqlite-jdbc's native library in this process ({@code internal.sqlitejdbc}); a remote one (dqlite) speaks a
 * wire protocol. Implementations are stateless and thread-safe; the connections they open are not (each belongs to
 * one worker thread).
 */
public interface Engine {
    /**
     * The engine's name, for messages.
     *
     * @return for example {@code "sqlite-jdbc"}
     */
    String name();

    /**
     * What connections of this engine can do.
     *
     * @return the capabilities
     */
    Capabilities capabilities();

    /**
     * Opens a connection: the file (or database name), read-only or read-write, created or not, with the busy
     * timeout. Pragmas are not the engine's business: the worker runs them as SQL afterwards. Runs on the worker
     * thread that will own the connection.
     *
     * @param options the connection settings
     * @return the open connection
     * @throws SqliteException if it cannot be opened, with SQLite's result code
     */
    EngineConnection open(ConnectionOptions options);

    /**
     * Turns an exception that came out of this engine's own library (for example a {@code java.sql.SQLException}
     * thrown by user code inside {@code AsyncConnection.run}) into a {@link SqliteException} with its result codes.
     *
     * @param failure what was thrown
     * @param sql the SQL text, or {@code null}
     * @return the mapped exception, or {@code null} if this engine does not recognise {@code failure}
     */
    SqliteException translate(Throwable failure, String sql);

    /**
     * Pragmas the engine manages itself, which the worker does not run at open even when the options ask for them
     * (a replicated engine keeps its own journal and durability settings).
     *
     * @return lower-case pragma names; empty for an engine that runs every pragma
     */
    default Set<String> managedPragmas() {
        return Set.of();
    }
}
