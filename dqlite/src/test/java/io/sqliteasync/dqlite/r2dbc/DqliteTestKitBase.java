package io.sqliteasync.dqlite.r2dbc;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Row;
import io.sqliteasync.r2dbc.SqliteTestKitBase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcOperations;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * r2dbc's adapted TCK ({@link SqliteTestKitBase}) with the driver and the JDBC side on the dqlite cluster.
 *
 * <p>One dqlite limit shows: the wire protocol sends column names but no declared types, so the driver cannot see
 * that {@code test_value} is declared {@code INTEGER} and {@code row.get(name)} returns the value's storage class,
 * {@code Long} (on a file it is {@code Integer}, chosen by the declared type). The TCK's hook for reading the
 * value column asks for {@code Integer} when that happens (used by {@code changeAutoCommitCommitsTransaction} and
 * {@code segmentSelectWithEmitsRow}), and {@link #duplicateColumnNames()}, which calls {@code row.get} itself, is
 * run with {@code Long} expected. Every other case runs unchanged.
 */
abstract class DqliteTestKitBase<T> extends SqliteTestKitBase<T> {

    @Override
    public ConnectionFactory getConnectionFactory() {
        return DqliteTck.FACTORY;
    }

    @Override
    public JdbcOperations getJdbcOperations() {
        return DqliteTck.JDBC;
    }

    /** dqlite sends no declared type: an integer comes back as its storage class, {@code Long}. */
    @Override
    public Object extractColumn(Row row) {
        Object value = row.get("test_value");
        return value instanceof Long ? row.get("test_value", Integer.class) : value;
    }

    /**
     * The TCK's case, expecting {@code Long} from {@code row.get(name)} (no declared types over dqlite), and the
     * same value as {@code Integer} when asked for it.
     */
    @Test
    @Override
    public void duplicateColumnNames() {
        getJdbcOperations().execute(expand(TestStatement.INSERT_TWO_COLUMNS));
        Flux.usingWhen(getConnectionFactory().create(),
                        c -> Flux.from(c.createStatement(expand(TestStatement.SELECT_VALUE_TWO_COLUMNS)).execute())
                                .flatMap(r -> r.map((row, md) -> List.of(row.get("test_value"),
                                        row.get("TEST_VALUE"), row.get("test_value", Integer.class))))
                                .flatMapIterable(values -> values),
                        Connection::close)
                .as(StepVerifier::create)
                .expectNext(100L).as("test_value from col1")
                .expectNext(100L).as("test_value from col1 (upper case)")
                .expectNext(100).as("test_value from col1 as Integer")
                .verifyComplete();
    }
}
