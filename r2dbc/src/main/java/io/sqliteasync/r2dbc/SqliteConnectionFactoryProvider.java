package io.sqliteasync.r2dbc;

/**
 * The {@link java.util.ServiceLoader} entry for the driver name {@code sqlite}, so that
 * {@code ConnectionFactories.get("r2dbc:sqlite:////abs/app.db")} finds this driver. URL forms:
 * {@code r2dbc:sqlite:////absolute/path.db} (four slashes: the path after the third keeps its leading slash),
 * {@code r2dbc:sqlite:///relative/path.db} (relative to the working directory) and
 * {@code r2dbc:sqlite:///:memory:}, each with options as query parameters (see {@link SqliteOptions}).
 * Stateless; any thread.
 */
public final class SqliteConnectionFactoryProvider extends DriverProvider {
    /** The driver name in URLs and in the {@code DRIVER} option. */
    public static final String DRIVER = "sqlite";

    /** Creates the provider; called by the {@link java.util.ServiceLoader}. */
    public SqliteConnectionFactoryProvider() {
        super(DRIVER);
    }
}
