package io.sqliteasync.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.sqliteasync.r2dbc.spring.SqliteDialect;
import io.sqliteasync.r2dbc.spring.SqliteDialectProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The driver name {@code dqlite} maps R2DBC URLs and options to core's {@code dqlite://} location. No cluster and
 * no dqlite engine here: this module does not have {@code sqlite-async-dqlite} on its class path, so opening fails
 * with the message naming it (the cluster runs in the dqlite module's R2DBC tests).
 */
class DqliteDriverOptionsTest {

    @Test
    void urlWithSeveralMembersKeepsThemAll() {
        SqliteConnectionFactory f = factory("r2dbc:dqlite://10.0.0.1:9001,10.0.0.2:9001,node-3:9002/app"
                + "?readers=3&failoverTimeout=10s&prefetch=128");
        assertThat(f.options().path()).isEqualTo("dqlite://10.0.0.1:9001,10.0.0.2:9001,node-3:9002/app"
                + "?failoverTimeout=10s");
        assertThat(f.options().readers()).isEqualTo(3);
        assertThat(f.options().prefetch()).isEqualTo(128);
    }

    @Test
    void urlWithOneMemberUsesHostAndPort() {
        assertThat(factory("r2dbc:dqlite://127.0.0.1:9001/app").options().path())
                .isEqualTo("dqlite://127.0.0.1:9001/app");
        assertThat(factory("r2dbc:dqlite://[::1]:9001/app?nodes=%5B::1%5D:9002,%5B::1%5D:9003").options().path())
                .isEqualTo("dqlite://[::1]:9001,[::1]:9002,[::1]:9003/app");
        assertThat(factory("r2dbc:dqlite://db.example:9001/my%20data").options().path())
                .isEqualTo("dqlite://db.example:9001/my+data");
    }

    @Test
    void programmaticOptionsTakeHostPortNodesAndTypedValues() {
        ConnectionFactoryOptions options = ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, "dqlite")
                .option(ConnectionFactoryOptions.HOST, "10.0.0.1")
                .option(ConnectionFactoryOptions.PORT, 9001)
                .option(ConnectionFactoryOptions.DATABASE, "app")
                .option(DqliteOptions.NODES, List.of("10.0.0.2:9001", "10.0.0.3"))
                .option(DqliteOptions.FAILOVER_TIMEOUT, Duration.ofSeconds(15))
                .option(DqliteOptions.DIAL_TIMEOUT, 750)
                .option(DqliteOptions.READ_TIMEOUT, "PT20S")
                .option(DqliteOptions.WIDE_PARAMETERS, true)
                .option(DqliteOptions.CLIENT_ID, 42L)
                .option(SqliteOptions.READERS, 2)
                .build();
        SqliteConnectionFactory f = (SqliteConnectionFactory) ConnectionFactories.get(options);
        assertThat(f.options().path()).isEqualTo("dqlite://10.0.0.1:9001,10.0.0.2:9001,10.0.0.3:9001/app"
                + "?dialTimeout=750ms&readTimeout=PT20S&failoverTimeout=15000ms&wideParameters=true&clientId=42");
        assertThat(f.options().readers()).isEqualTo(2);
        assertThat(new DqliteConnectionFactoryProvider().supports(options)).isTrue();
        assertThat(new SqliteConnectionFactoryProvider().supports(options)).isFalse();
    }

    @Test
    void hostMayListMembersAndBareIpv6GetsBrackets() {
        ConnectionFactoryOptions options = ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, "dqlite")
                .option(ConnectionFactoryOptions.HOST, "a.example, b.example:9005, ::1")
                .option(ConnectionFactoryOptions.PORT, 9001)
                .option(ConnectionFactoryOptions.DATABASE, "app")
                .build();
        assertThat(((SqliteConnectionFactory) ConnectionFactories.get(options)).options().path())
                .isEqualTo("dqlite://a.example:9001,b.example:9005,[::1]:9001/app");
    }

    @Test
    void badLocationsFailAtOnceNamingThePart() {
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:dqlite://a,b,c:9001/app"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'").hasMessageContaining("port");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:dqlite://127.0.0.1:9001,127.0.0.1:9002/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DATABASE");
        assertThatThrownBy(() -> ConnectionFactories.get(ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, "dqlite")
                .option(ConnectionFactoryOptions.DATABASE, "app").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one member");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbcs:dqlite://127.0.0.1:9001/app"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TLS");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:dqlite://me:secret@127.0.0.1:9001/app"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PASSWORD");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:dqlite://127.0.0.1:9001/app?readers=many"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readers");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:dqlite://127.0.0.1:9001/app?failoverTimeout=soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failoverTimeout")
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:dqlite://127.0.0.1:9001/app?wideParameters=yes"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wideParameters");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:dqlite://127.0.0.1:9001/app?maxMessageSize=big"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessageSize");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:dqlite://127.0.0.1:9001/app?clientId=x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientId");
    }

    @Test
    void withoutTheDqliteArtifactTheFirstCreateNamesIt() {
        SqliteConnectionFactory f = factory("r2dbc:dqlite://127.0.0.1:9/app");
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(() -> f.create().block(Duration.ofSeconds(60)))
                        .isInstanceOf(R2dbcNonTransientResourceException.class)
                        .hasMessageContaining("io.sqliteasync:sqlite-async-dqlite");
            }
        } finally {
            f.close();
        }
    }

    @Test
    void springDialectRecognisesADqliteFactoryAlsoBehindAPool() {
        SqliteConnectionFactory f = factory("r2dbc:dqlite://127.0.0.1:9001,127.0.0.1:9002/app");
        assertThat(new SqliteDialectProvider().getDialect(f)).get().isInstanceOf(SqliteDialect.class);
        ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(f).initialSize(0).build());
        try {
            assertThat(new SqliteDialectProvider().getDialect(pool)).get().isInstanceOf(SqliteDialect.class);
        } finally {
            pool.dispose();
        }
    }

    private static SqliteConnectionFactory factory(String url) {
        return (SqliteConnectionFactory) ConnectionFactories.get(url);
    }
}
