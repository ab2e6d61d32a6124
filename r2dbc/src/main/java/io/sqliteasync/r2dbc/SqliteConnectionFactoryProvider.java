package io.sqliteasync.r2dbc;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ConnectionFactoryProvider;

/**
 * The {@link java.util.ServiceLoader} entry for the driver name {@code sqlite}, so that
 * {@code ConnectionFactories.get("r2dbc:sqlite:////abs/app.db")} finds this driver. URL forms:
 * {@code r2dbc:sqlite:////absolute/path.db} (four slashes: the path after the third keeps its leading slash),
 * {@code r2dbc:sqlite:///relative/path.db} (relative to the working directory) and
 * {@code r2dbc:sqlite:///:memory:}, each with options as query parameters (see {@link SqliteOptions}).
 * Stateless; any thread.
 */
public final class SqliteConnectionFactoryProvider implements ConnectionFactoryProvider {
    /** The driver name in URLs and in the {@code DRIVER} option. */
    public static final String DRIVER = "sqlite";

    /** Creates the provider; called by the {@link java.util.ServiceLoader}. */
    public SqliteConnectionFactoryProvider() {
    }

    /**
     * Creates a factory; see {@link SqliteConnectionFactory#from(ConnectionFactoryOptions)}.
     *
     * @param options the options
     * @return a factory that opens the database on first use
     */
    @Override
    public SqliteConnectionFactory create(ConnectionFactoryOptions options) {
        return SqliteConnectionFactory.from(options);
    }

    /**
     * Whether the options ask for this driver.
     *
     * @param options the options
     * @return {@code true} when {@code DRIVER} is {@code sqlite}
     */
    @Override
    public boolean supports(ConnectionFactoryOptions options) {
        return DRIVER.equals(options.getValue(ConnectionFactoryOptions.DRIVER));
    }

    /**
     * The driver name.
     *
     * @return {@code sqlite}
     */
    @Override
    public String getDriver() {
        return DRIVER;
    }
}
