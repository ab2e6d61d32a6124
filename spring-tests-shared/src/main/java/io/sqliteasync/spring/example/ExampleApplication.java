package io.sqliteasync.spring.example;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import io.sqliteasync.micrometer.DatabaseMetrics;
import io.sqliteasync.r2dbc.SqliteConnectionFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A WebFlux service on SQLite: the only SQLite-specific things are the {@code sqlite-async-r2dbc} dependency, the
 * URLs in {@code application.properties} and the Flyway migration. Run it with
 * {@code java -cp ... io.sqliteasync.spring.example.ExampleApplication}; it stores notes in {@code notes.db} in the
 * working directory.
 */
@SpringBootApplication
public class ExampleApplication {
    /**
     * Starts the service.
     *
     * @param args Spring Boot arguments, such as {@code --server.port=8081}
     */
    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }

    /**
     * The database's pool meters; Boot binds every {@link MeterBinder} bean to its registry (with Actuator).
     *
     * @param connectionFactory Boot's factory (a pool around the driver's)
     * @return the binder
     */
    // snippet:spring-metrics-bean
    @Bean
    MeterBinder sqliteMetrics(ConnectionFactory connectionFactory) {
        Object f = connectionFactory;
        while (!(f instanceof SqliteConnectionFactory) && f instanceof Wrapped<?> w) {
            f = w.unwrap();                       // r2dbc-pool's ConnectionPool wraps the driver's factory
        }
        SqliteConnectionFactory sqlite = (SqliteConnectionFactory) f;
        return registry -> new DatabaseMetrics(sqlite.database().join(), "notes").bindTo(registry);
    }
    // end-snippet
}
