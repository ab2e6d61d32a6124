package io.sqliteasync.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Values the built-in codecs refuse, with messages that say why. */
class CodecRefusalsTest {
    enum Shade {
        LIGHT {
            @Override
            public String toString() {
                return "light shade";
            }
        },
        DARK;

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    private final CodecRegistry defaults = CodecRegistry.defaults();

    @Test
    void unknownEnumTextListsConstantNamesNotToString() {
        assertThat(defaults.encode(Shade.LIGHT)).isEqualTo("LIGHT");
        assertThatThrownBy(() -> defaults.decode("light shade", Shade.class))
                .hasMessageContaining("[LIGHT, DARK]")
                .hasMessageNotContaining("dark]");
        assertThat(defaults.decode("DARK", Shade.class)).isEqualTo(Shade.DARK);
    }

    @Test
    void hugeExponentTextIsRefusedInsteadOfExpanded() {
        CodecRegistry registry = CodecRegistry.defaults();
        // Expanding a billion digits would run for ages: the bound only catches that hang, it times nothing.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            assertThatThrownBy(() -> registry.decode("1e1000000000", BigInteger.class))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("integer digits");
            assertThat(registry.decode("12e3", BigInteger.class)).isEqualTo(BigInteger.valueOf(12000));
        });
    }
}
