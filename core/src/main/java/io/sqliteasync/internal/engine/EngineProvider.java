package io.sqliteasync.internal.engine;

/**
 * Supplies an {@link Engine} for database locations written as URLs of one scheme, such as
 * {@code dqlite://host:port/name}. Found with {@link java.util.ServiceLoader} the first time a location with that
 * scheme is opened; plain file paths, {@code :memory:} and {@code file:} URIs never look for a provider (they go to
 * the sqlite-jdbc engine). Internal SPI: exported only to the library's own engine modules.
 */
public interface EngineProvider {
    /**
     * The URL scheme this provider serves, in lower case, without {@code ://}.
     *
     * @return for example {@code "dqlite"}
     */
    String scheme();

    /**
     * The engine; called once per provider and cached.
     *
     * @return the engine, stateless and thread-safe
     */
    Engine engine();
}
