package io.sqliteasync.dqlite;

import io.sqliteasync.internal.engine.Engine;
import io.sqliteasync.internal.engine.EngineProvider;

/**
 * Makes {@code dqlite://} locations open through the dqlite engine: found by core's {@link java.util.ServiceLoader}
 * lookup the first time such a location is opened. Not meant to be used directly; open a {@code Database} or
 * {@code AsyncConnection} with a {@link DqliteUrl} instead.
 */
public final class DqliteEngineProvider implements EngineProvider {
    /** Called by {@link java.util.ServiceLoader}. */
    public DqliteEngineProvider() {
    }

    @Override
    public String scheme() {
        return DqliteUrl.SCHEME;
    }

    @Override
    public Engine engine() {
        return DqliteEngine.INSTANCE;
    }
}
