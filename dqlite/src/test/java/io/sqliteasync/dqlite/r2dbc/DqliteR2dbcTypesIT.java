package io.sqliteasync.dqlite.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Values through {@code r2dbc:dqlite://}: without declared types (the protocol sends none) {@code row.get(i)} gives
 * the storage class and the metadata says {@code Object}; asking for a class gives that class, as on a file.
 */
class DqliteR2dbcTypesIT {
    private static final Duration BLOCK = Duration.ofSeconds(120);

    private record Values(List<Object> plain, List<Class<?>> javaTypes, Integer asInt, LocalDate date,
            byte[] blob) {
    }

    @Test
    void rowsGiveStorageClassesAndAnyRequestedClass() {
        DqliteTck.JDBC.execute("DROP TABLE IF EXISTS typed; CREATE TABLE typed (i INTEGER, r REAL, s TEXT, b BLOB,"
                + " d DATE); INSERT INTO typed VALUES (5, 2.5, 'x', x'0102', '2024-02-29')");
        Values v = Flux.usingWhen(DqliteTck.FACTORY.create(),
                c -> Flux.from(c.createStatement("SELECT i, r, s, b, d FROM typed").execute())
                        .flatMap(r -> r.map(DqliteR2dbcTypesIT::values)),
                Connection::close).blockFirst(BLOCK);
        assertThat(v.plain().get(0)).isEqualTo(5L);
        assertThat(v.plain().get(1)).isEqualTo(2.5);
        assertThat(v.plain().get(2)).isEqualTo("x");
        assertThat(v.plain().get(3)).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2}));
        assertThat(v.plain().get(4)).isEqualTo("2024-02-29");
        assertThat(v.javaTypes()).containsOnly(Object.class);
        assertThat(v.asInt()).isEqualTo(5);
        assertThat(v.date()).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(v.blob()).containsExactly(1, 2);
    }

    private static Values values(Row row, RowMetadata md) {
        return new Values(List.of(row.get(0), row.get(1), row.get(2), row.get(3), row.get(4)),
                md.getColumnMetadatas().stream().<Class<?>>map(m -> m.getJavaType()).toList(),
                row.get("i", Integer.class), row.get("d", LocalDate.class), row.get("b", byte[].class));
    }
}
