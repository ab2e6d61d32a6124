package io.sqliteasync.r2dbc.spring;

import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.core.binding.BindMarkersFactory;
import org.springframework.r2dbc.core.binding.BindMarkersFactoryResolver;

/**
 * Tells spring-r2dbc's {@code BindMarkersFactoryResolver} (used by {@code DatabaseClient}) that this driver binds
 * SQLite's numbered markers {@code ?1}, {@code ?2}, ... by 0-based index. Registered in
 * {@code META-INF/spring.factories} under
 * {@code org.springframework.r2dbc.core.binding.BindMarkersFactoryResolver$BindMarkerFactoryProvider}. Any thread.
 */
public final class SqliteBindMarkersFactoryProvider implements BindMarkersFactoryResolver.BindMarkerFactoryProvider {
    /** Created by Spring's {@code SpringFactoriesLoader}. */
    public SqliteBindMarkersFactoryProvider() {
    }

    /**
     * The markers for a factory of this driver (also behind a pool).
     *
     * @param connectionFactory any factory
     * @return {@link SqliteDialect#getBindMarkersFactory()}, or {@code null} for another driver's factory
     */
    @Override
    public BindMarkersFactory getBindMarkers(ConnectionFactory connectionFactory) {
        return SqliteDialectProvider.find(connectionFactory) == null ? null
                : SqliteDialect.INSTANCE.getBindMarkersFactory();
    }
}
