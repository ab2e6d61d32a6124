package io.sqliteasync.r2dbc;

/**
 * The {@link java.util.ServiceLoader} entry for the driver name {@code dqlite}: the same driver as
 * {@link SqliteConnectionFactoryProvider}, over a dqlite cluster. {@code ConnectionFactories.get(
 * "r2dbc:dqlite://10.0.0.1:9001,10.0.0.2:9001,10.0.0.3:9001/app?readers=4")} gives a {@link SqliteConnectionFactory}
 * whose database is {@code dqlite://10.0.0.1:9001,10.0.0.2:9001,10.0.0.3:9001/app}; see {@link DqliteOptions} for
 * the options. The engine comes from {@code io.sqliteasync:sqlite-async-dqlite}, which must be on the class path
 * at run time: without it the first {@code create()} fails with a message naming that artifact. Stateless; any
 * thread.
 */
public final class DqliteConnectionFactoryProvider extends DriverProvider {
    /** The driver name in URLs and in the {@code DRIVER} option. */
    public static final String DRIVER = "dqlite";

    /** Creates the provider; called by the {@link java.util.ServiceLoader}. */
    public DqliteConnectionFactoryProvider() {
        super(DRIVER);
    }
}
