/**
 * Spring support, loaded only when Spring is present: {@link io.sqliteasync.r2dbc.spring.SqliteDialect} for Spring
 * Data R2DBC and the providers that let Spring find it and the driver's bind markers on its own
 * ({@code META-INF/spring.factories}). Adding {@code sqlite-async-r2dbc} to a Spring Boot application is all it takes;
 * see docs/spring.md.
 */
package io.sqliteasync.r2dbc.spring;
