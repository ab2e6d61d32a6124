package io.sqliteasync.r2dbc;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ConnectionFactoryProvider;

/**
 * What the driver names {@code sqlite} and {@code dqlite} share: both create a {@link SqliteConnectionFactory} from
 * the options (which tell a file from a cluster by their {@code DRIVER}); only the name they answer to differs.
 * Stateless; any thread.
 */
abstract class DriverProvider implements ConnectionFactoryProvider {
    private final String driver;

    DriverProvider(String driver) {
        this.driver = driver;
    }

    /**
     * Creates a factory; see {@link SqliteConnectionFactory#from(ConnectionFactoryOptions)}. Opens nothing: the
     * database is opened on first use.
     *
     * @param options the options
     * @return a factory that opens the database on first use
     * @throws IllegalArgumentException when an option is missing or has a bad value
     */
    @Override
    public SqliteConnectionFactory create(ConnectionFactoryOptions options) {
        return SqliteConnectionFactory.from(options);
    }

    /**
     * Whether the options ask for this driver.
     *
     * @param options the options
     * @return {@code true} when {@code DRIVER} is this provider's name
     */
    @Override
    public boolean supports(ConnectionFactoryOptions options) {
        return driver.equals(options.getValue(ConnectionFactoryOptions.DRIVER));
    }

    /**
     * The driver name.
     *
     * @return {@code sqlite} or {@code dqlite}
     */
    @Override
    public String getDriver() {
        return driver;
    }
}
