package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Timeouts in {@link DatabaseOptions} beyond what the pool can represent. */
class DatabaseOptionsRangeIT {
    @TempDir
    Path dir;

    @Test
    void hugeTimeoutsAreRefusedAsOutOfRangeNotWithAnOverflow() {
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        String path = dir.resolve("huge.db").toString();
        assertThatThrownBy(() -> DatabaseOptions.builder(path).acquireTimeout(forever).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acquireTimeout");
        assertThatThrownBy(() -> DatabaseOptions.builder(path).transactionTimeout(forever).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transactionTimeout");
        assertThatThrownBy(() -> DatabaseOptions.builder(path).busyTimeout(forever).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
