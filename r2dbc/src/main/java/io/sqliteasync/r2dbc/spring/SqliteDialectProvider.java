package io.sqliteasync.r2dbc.spring;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import io.sqliteasync.r2dbc.SqliteConnectionFactory;
import java.util.Optional;
import org.springframework.data.r2dbc.dialect.DialectResolver;
import org.springframework.data.r2dbc.dialect.R2dbcDialect;

/**
 * Tells Spring Data R2DBC's {@code DialectResolver} that a connection factory of this driver speaks
 * {@link SqliteDialect}. Registered in {@code META-INF/spring.factories} under
 * {@code org.springframework.data.r2dbc.dialect.DialectResolver$R2dbcDialectProvider}; Spring instantiates it.
 * Any thread.
 */
public final class SqliteDialectProvider implements DialectResolver.R2dbcDialectProvider {
    /** Created by Spring's {@code SpringFactoriesLoader}. */
    public SqliteDialectProvider() {
    }

    /**
     * The dialect for a factory of this driver, also behind {@code r2dbc-pool} or another wrapper that implements
     * {@link Wrapped}; its codecs are the factory's.
     *
     * @param connectionFactory any factory
     * @return the dialect, or empty for another driver's factory
     */
    @Override
    public Optional<R2dbcDialect> getDialect(ConnectionFactory connectionFactory) {
        SqliteConnectionFactory sqlite = find(connectionFactory);
        if (sqlite == null) {
            return Optional.empty();
        }
        return Optional.of(new SqliteDialect(sqlite.options().codecs()));
    }

    /** The driver's factory behind any number of {@link Wrapped} layers, or {@code null}. */
    static SqliteConnectionFactory find(Object factory) {
        Object f = factory;
        for (int depth = 0; depth < 16 && f != null; depth++) {
            if (f instanceof SqliteConnectionFactory) {
                return (SqliteConnectionFactory) f;
            }
            if (!(f instanceof Wrapped)) {
                return null;
            }
            Object inner = ((Wrapped<?>) f).unwrap();
            if (inner == f) {
                return null;
            }
            f = inner;
        }
        return null;
    }
}
