package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** DumpOptions: defaults, builder, bad input, equality. */
class DumpOptionsTest {

    @Test
    void theDefaultsDumpTheWholeMainSchemaWithRowids() {
        DumpOptions d = DumpOptions.defaults();
        assertThat(d.schema()).isEqualTo("main");
        assertThat(d.tables()).isNull();
        assertThat(d.preserveRowids()).isTrue();
        assertThat(DumpOptions.builder().build()).isEqualTo(d).hasSameHashCodeAs(d);
    }

    @Test
    void theBuilderSetsEachOptionAndToBuilderKeepsThem() {
        Predicate<String> only = "t"::equals;
        DumpOptions o = DumpOptions.builder().schema("aux").tables(only).preserveRowids(false).build();
        assertThat(o.schema()).isEqualTo("aux");
        assertThat(o.tables()).isSameAs(only);
        assertThat(o.preserveRowids()).isFalse();
        assertThat(o.toBuilder().build()).isEqualTo(o);
        assertThat(o.toBuilder().preserveRowids(true).build()).isNotEqualTo(o);
        assertThat(o.toString()).contains("aux", "preserveRowids=false");
    }

    @Test
    void aMissingOrEmptySchemaIsRefusedAtOnce() {
        assertThatThrownBy(() -> DumpOptions.builder().schema(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("schema");
        assertThatThrownBy(() -> DumpOptions.builder().schema("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema is empty");
    }

    @Test
    void nullOptionsAreRefusedAtOnce() {
        try (AsyncConnection c = AsyncConnection.open(":memory:").join();
                Database db = Database.open(":memory:").join()) {
            assertThatThrownBy(() -> c.dump(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("options");
            assertThatThrownBy(() -> db.dump(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("options");
            assertThatThrownBy(() -> db.blocking().dump(DumpOptions.defaults(), null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("statements");
            assertThatThrownBy(() -> c.dump().subscribe(null)).isInstanceOf(NullPointerException.class);
        }
    }
}
