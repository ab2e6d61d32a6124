package io.sqliteasync.spring.data;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** One property per type and declared column type worth checking; see schema.sql for the columns. */
@Table("event")
record Event(@Id Long id,
        Instant atTimestamp, Instant atText, Instant atDatetime, Instant atInteger,
        OffsetDateTime offsetTimestamp, OffsetDateTime offsetText,
        ZonedDateTime zonedTimestamp,
        LocalDateTime localTimestamp, LocalDateTime localText,
        LocalDate day, LocalDate dayText, LocalTime time,
        Color color, Boolean flag, boolean active,
        UUID uuid, UUID uuidText,
        BigDecimal amount, BigDecimal amountText) {

    enum Color { RED, GREEN }
}
