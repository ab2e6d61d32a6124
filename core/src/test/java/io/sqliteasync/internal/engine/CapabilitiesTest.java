package io.sqliteasync.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqliteasync.SqliteException;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    @Test
    void aMissingCapabilityFailsNamingTheCapabilityTheEngineAndTheOperation() {
        Capabilities remote = Capabilities.of("dqlite", EnumSet.of(Capability.INTERRUPT));
        assertThatThrownBy(() -> remote.require(Capability.USER_FUNCTIONS, "createFunction"))
                .isInstanceOfSatisfying(SqliteException.class,
                        e -> assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_MISUSE))
                .hasMessageContaining("createFunction")
                .hasMessageContaining("USER_FUNCTIONS")
                .hasMessageContaining("dqlite");
    }

    @Test
    void aPresentCapabilityPasses() {
        Capabilities c = Capabilities.of("x", EnumSet.of(Capability.HOOKS));
        c.require(Capability.HOOKS, "setUpdateHook");
        assertThat(c.has(Capability.HOOKS)).isTrue();
        assertThat(c.has(Capability.BACKUP)).isFalse();
    }

    @Test
    void theSetIsACopyThatCannotBeChanged() {
        EnumSet<Capability> source = EnumSet.of(Capability.HOOKS);
        Capabilities c = Capabilities.of("x", source);
        source.add(Capability.BACKUP);
        assertThat(c.has(Capability.BACKUP)).isFalse();
        assertThatThrownBy(() -> c.asSet().add(Capability.BACKUP)).isInstanceOf(UnsupportedOperationException.class);
    }
}
