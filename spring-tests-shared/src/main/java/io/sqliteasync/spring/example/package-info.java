/** The example Spring Boot application of docs/spring.md: a WebFlux note service on SQLite. */
package io.sqliteasync.spring.example;
