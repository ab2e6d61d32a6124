package io.sqliteasync.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

class SqliteConnectionFactoryProviderTest {

    @TempDir
    Path dir;

    @Test
    void absoluteFileUrlUsesFourSlashes() {
        Path file = dir.resolve("abs.db");
        SqliteConnectionFactory f = (SqliteConnectionFactory) ConnectionFactories.get(
                "r2dbc:sqlite:///" + file.toAbsolutePath() + "?readers=3&busyTimeout=PT2S&prefetch=16"
                        + "&pragmas=cache_size=-4000;mmap_size=0&transactionTimeout=1500");
        try {
            assertThat(f.options().path()).isEqualTo(file.toAbsolutePath().toString());
            assertThat(f.options().readers()).isEqualTo(3);
            assertThat(f.options().busyTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(f.options().prefetch()).isEqualTo(16);
            assertThat(f.options().transactionTimeout()).isEqualTo(Duration.ofMillis(1500));
            assertThat(f.options().pragmas()).containsEntry("cache_size", "-4000").containsEntry("mmap_size", "0");
            assertThat(value(f, "PRAGMA cache_size")).isEqualTo(-4000L);
            assertThat(Files.exists(file)).isTrue();
        } finally {
            f.close();
        }
    }

    @Test
    void relativeFileUrlUsesThreeSlashes() {
        String name = "target/r2dbc-relative-" + UUID.randomUUID() + ".db";
        SqliteConnectionFactory f = (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:sqlite:///" + name);
        try {
            assertThat(f.options().path()).isEqualTo(name);
            assertThat(value(f, "SELECT 1")).isEqualTo(1L);
            assertThat(Files.exists(Paths.get(name))).isTrue();
        } finally {
            f.close();
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Paths.get(name + suffix).toFile().delete();
            }
        }
    }

    @Test
    void memoryUrlSharesOneDatabaseAcrossConnections() {
        SqliteConnectionFactory f = (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:sqlite:///:memory:");
        try {
            Flux.usingWhen(f.create(), c -> Flux.from(c.createStatement("CREATE TABLE t (x INTEGER)").execute())
                    .flatMap(r -> r.getRowsUpdated()), c -> c.close()).blockLast();
            Flux.usingWhen(f.create(), c -> Flux.from(c.createStatement("INSERT INTO t VALUES (7)").execute())
                    .flatMap(r -> r.getRowsUpdated()), c -> c.close()).blockLast();
            assertThat(value(f, "SELECT x FROM t")).isEqualTo(7);
        } finally {
            f.close();
        }
    }

    @Test
    void standardOptionsAndProgrammaticValues() {
        ConnectionFactoryOptions options = ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, "sqlite")
                .option(ConnectionFactoryOptions.DATABASE, dir.resolve("p.db").toString())
                .option(ConnectionFactoryOptions.STATEMENT_TIMEOUT, Duration.ofSeconds(3))
                .option(SqliteOptions.READERS, 2)
                .option(SqliteOptions.PRAGMAS, Map.of("cache_size", "-1000"))
                .option(SqliteOptions.TRANSACTION_MODE, "exclusive")
                .build();
        ConnectionFactory cf = ConnectionFactories.get(options);
        assertThat(cf).isInstanceOf(SqliteConnectionFactory.class);
        assertThat(cf.getMetadata().getName()).isEqualTo("SQLite");
        SqliteConnectionFactory f = (SqliteConnectionFactory) cf;
        try {
            assertThat(f.options().readers()).isEqualTo(2);
            SqliteConnection c = f.create().block();
            assertThat(c.getMetadata().getDatabaseProductName()).isEqualTo("SQLite");
            assertThat(c.getMetadata().getDatabaseVersion()).matches("3\\.\\d+\\.\\d+");
            c.close().block();
        } finally {
            f.close();
        }
    }

    @Test
    void badOptionsFailClearly() {
        assertThatThrownBy(() -> ConnectionFactories.get(ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, "sqlite").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DATABASE");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?readers=many"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readers");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?busyTimeout=soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busyTimeout");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?pragmas=nonsense"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pragmas");
        assertThat(new SqliteConnectionFactoryProvider().supports(
                ConnectionFactoryOptions.parse("r2dbc:postgresql://h/db"))).isFalse();
    }

    @Test
    void closedFactoryRefusesConnections() {
        SqliteConnectionFactory f = SqliteConnectionFactory.of(dir.resolve("c.db").toString());
        f.create().flatMap(c -> c.close()).block();
        f.close();
        assertThatThrownBy(() -> f.create().block()).isInstanceOf(io.r2dbc.spi.R2dbcNonTransientResourceException.class);
    }

    static Object value(ConnectionFactory f, String sql) {
        return Flux.usingWhen(f.create(), c -> Flux.from(c.createStatement(sql).execute())
                .flatMap(r -> r.map((row, md) -> row.get(0))), c -> c.close()).blockFirst();
    }
}
