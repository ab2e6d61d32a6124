package io.sqliteasync.spring.data;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application under test: nothing but Boot's auto-configuration and this package's repositories. */
@SpringBootApplication
public class TestApplication {
}
