package io.sqliteasync.spring.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

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
}
