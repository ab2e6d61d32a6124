package io.sqliteasync.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** Time values at the edges: negative durations floor to the unit, long fractions and hour 24 read as SQLite reads them. */
class TimeCodecEdgeCasesTest {
    private final CodecRegistry defaults = CodecRegistry.defaults();

    @Test
    void negativeDurationsFloorToMillisecondsLikeSeconds() {
        CodecRegistry millis = CodecRegistry.builder().timeStorage(TimeStorage.UNIX_MILLIS).build();
        CodecRegistry seconds = CodecRegistry.builder().timeStorage(TimeStorage.UNIX_SECONDS).build();
        // Documented as floor, like instants; Duration.toMillis() truncates towards zero instead.
        assertThat(seconds.encode(Duration.ofNanos(-1))).isEqualTo(-1L);
        assertThat(millis.encode(Duration.ofNanos(-1))).isEqualTo(-1L);
        assertThat(millis.encode(Duration.ofMillis(-1500).minusNanos(1))).isEqualTo(-1501L);
        assertThat(millis.encode(Instant.EPOCH.minusNanos(1))).isEqualTo(-1L);
        assertThat(millis.encode(Duration.ofMillis(1500).plusNanos(999_999))).isEqualTo(1500L);
    }

    @Test
    void readsMoreThanNineFractionDigitsAsSqliteDoes() {
        // SQLite's date functions accept any number of fraction digits.
        assertThat(defaults.decode("2024-01-01 10:00:00.1234567891", Instant.class))
                .isEqualTo(Instant.parse("2024-01-01T10:00:00.123456789Z"));
        assertThat(defaults.decode("10:00:00.12345678912345+01:00", LocalTime.class))
                .isEqualTo(LocalTime.parse("09:00:00.123456789"));
    }

    @Test
    void readsHour24AsTheNextMidnightAsSqliteDoes() {
        // datetime('2024-01-31 24:00:00') is accepted by SQLite and even written back unchanged.
        assertThat(defaults.decode("2024-01-31 24:00:00", LocalDateTime.class))
                .isEqualTo(LocalDateTime.parse("2024-02-01T00:00"));
        assertThat(defaults.decode("2024-12-31T24:00", LocalDate.class)).isEqualTo(LocalDate.parse("2025-01-01"));
        assertThatThrownBy(() -> defaults.decode("2024-01-31 24:00:01", LocalDateTime.class))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
