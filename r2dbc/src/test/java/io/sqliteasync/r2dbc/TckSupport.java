package io.sqliteasync.r2dbc;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.jdbc.core.JdbcTemplate;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** One file database shared by the TCK runs: the driver found through the URL, and sqlite-jdbc as the JDBC side. */
final class TckSupport {
    static final Path DIRECTORY;
    static final Path FILE;
    static final SqliteConnectionFactory FACTORY;
    static final JdbcTemplate JDBC;

    static {
        try {
            DIRECTORY = Files.createTempDirectory("sqlite-async-r2dbc-tck");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FILE = DIRECTORY.resolve("tck.db");
        // Four slashes: the path after "r2dbc:sqlite://" + "/" keeps its leading slash, so it is absolute.
        ConnectionFactory cf = ConnectionFactories.get("r2dbc:sqlite:///" + FILE.toAbsolutePath() + "?readers=2");
        FACTORY = (SqliteConnectionFactory) cf;
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + FILE.toAbsolutePath());
        JDBC = new JdbcTemplate(ds);
    }

    private TckSupport() {
    }
}
