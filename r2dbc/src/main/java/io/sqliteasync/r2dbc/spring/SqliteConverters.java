package io.sqliteasync.r2dbc.spring;

import io.sqliteasync.codec.CodecRegistry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;
import org.springframework.data.convert.ReadingConverter;

/** The reading converters of {@link SqliteDialect}. Pure functions; any thread. */
final class SqliteConverters {
    private static final List<Class<?>> TIME_TYPES = List.of(Instant.class, OffsetDateTime.class,
            ZonedDateTime.class, LocalDateTime.class, LocalDate.class, LocalTime.class);

    private SqliteConverters() {
    }

    static List<Object> readingConverters(CodecRegistry codecs) {
        return List.of(new StoredValueConverter(codecs), new DateTimeConverter(), new NumberToBooleanConverter());
    }

    /**
     * What SQLite stores (TEXT, INTEGER, REAL, BLOB as the driver hands them over) to {@code java.time} and
     * {@link UUID}, decoded by the driver's codecs exactly as {@code Row.get(name, type)} would: text without an
     * offset is UTC for an instant, an integer is unix time, never the JVM's zone.
     */
    @ReadingConverter
    static final class StoredValueConverter implements GenericConverter {
        private final CodecRegistry codecs;
        private final Set<ConvertiblePair> pairs = new HashSet<>();

        StoredValueConverter(CodecRegistry codecs) {
            this.codecs = codecs;
            for (Class<?> target : TIME_TYPES) {
                pairs.add(new ConvertiblePair(String.class, target));
                pairs.add(new ConvertiblePair(Long.class, target));
                pairs.add(new ConvertiblePair(Integer.class, target));
                pairs.add(new ConvertiblePair(Double.class, target));
            }
            pairs.add(new ConvertiblePair(ByteBuffer.class, UUID.class));
        }

        @Override
        public Set<ConvertiblePair> getConvertibleTypes() {
            return pairs;
        }

        @Override
        public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
            if (source == null) {
                return null;
            }
            Object stored = source;
            if (source instanceof Integer) {
                stored = ((Integer) source).longValue();
            } else if (source instanceof ByteBuffer) {
                ByteBuffer b = ((ByteBuffer) source).duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                stored = bytes;
            }
            return codecs.decode(stored, targetType.getType());
        }
    }

    /**
     * A {@link LocalDateTime} (what a {@code DATETIME}/{@code TIMESTAMP} column reads as) is UTC, as the driver wrote
     * it from an {@link Instant}; an {@link OffsetDateTime} (such a column's text with an offset) keeps its offset.
     * Spring's own converters would apply the JVM's zone.
     */
    @ReadingConverter
    static final class DateTimeConverter implements GenericConverter {
        private static final Set<ConvertiblePair> PAIRS = Set.of(
                new ConvertiblePair(LocalDateTime.class, Instant.class),
                new ConvertiblePair(LocalDateTime.class, OffsetDateTime.class),
                new ConvertiblePair(LocalDateTime.class, ZonedDateTime.class),
                new ConvertiblePair(LocalDateTime.class, LocalDate.class),
                new ConvertiblePair(LocalDateTime.class, LocalTime.class),
                new ConvertiblePair(OffsetDateTime.class, Instant.class),
                new ConvertiblePair(OffsetDateTime.class, ZonedDateTime.class),
                new ConvertiblePair(OffsetDateTime.class, LocalDateTime.class));

        @Override
        public Set<ConvertiblePair> getConvertibleTypes() {
            return PAIRS;
        }

        @Override
        public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
            if (source == null) {
                return null;
            }
            Class<?> target = targetType.getType();
            if (source instanceof LocalDateTime) {
                LocalDateTime t = (LocalDateTime) source;
                if (target == Instant.class) {
                    return t.toInstant(ZoneOffset.UTC);
                }
                if (target == OffsetDateTime.class) {
                    return t.atOffset(ZoneOffset.UTC);
                }
                if (target == ZonedDateTime.class) {
                    return t.atZone(ZoneOffset.UTC);
                }
                if (target == LocalDate.class) {
                    return t.toLocalDate();
                }
                return t.toLocalTime();
            }
            OffsetDateTime t = (OffsetDateTime) source;
            if (target == Instant.class) {
                return t.toInstant();
            }
            if (target == ZonedDateTime.class) {
                return t.toZonedDateTime();
            }
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
    }

    /** SQLite has no boolean storage: an integer column holds 0 or 1 (any non-zero is true, as in SQL). */
    @ReadingConverter
    static final class NumberToBooleanConverter implements GenericConverter {
        private static final Set<ConvertiblePair> PAIRS = Set.of(
                new ConvertiblePair(Long.class, Boolean.class), new ConvertiblePair(Integer.class, Boolean.class));

        @Override
        public Set<ConvertiblePair> getConvertibleTypes() {
            return PAIRS;
        }

        @Override
        public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
            return source == null ? null : ((Number) source).longValue() != 0;
        }
    }
}
