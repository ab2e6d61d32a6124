package io.sqliteasync.codec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An ordered list of {@link Codec}s: the codecs added with {@link Builder#add(Codec)} first, in the order added, then
 * those found by {@link ServiceLoader}, then the built-ins. For each class the first codec that accepts it wins, so
 * a user codec overrides a built-in one. Immutable and thread-safe; lookups are cached per class.
 *
 * <p>One registry serves one connection (see {@code ConnectionOptions.codecs}): the worker uses it to bind
 * parameters, and {@code Row} to decode columns. The built-ins and the declared types they answer to are listed in
 * {@code docs/types.md}.
 */
public final class CodecRegistry {
    /** A value encodes to another value at most this many times before it must be a SQLite value. */
    private static final int MAX_ENCODE_STEPS = 8;
    private static final Codec<Object> NONE = new Codec<>() {
        @Override
        public boolean canEncode(Class<?> type) {
            return false;
        }

        @Override
        public boolean canDecode(Class<?> type) {
            return false;
        }

        @Override
        public Object encode(Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object decode(Object value, Class<?> type) {
            throw new UnsupportedOperationException();
        }
    };

    private final List<Codec<?>> codecs;
    private final Map<String, Class<?>> declaredTypes;
    private final TimeStorage timeStorage;
    private final UuidStorage uuidStorage;
    private final Map<Class<?>, Codec<?>> encoders = new ConcurrentHashMap<>();
    private final Map<Class<?>, Codec<?>> decoders = new ConcurrentHashMap<>();

    private CodecRegistry(Builder b) {
        List<Codec<?>> all = new ArrayList<>(b.codecs);
        if (b.discover) {
            all.addAll(Discovered.CODECS);
        }
        all.addAll(builtIns(b.timeStorage, b.uuidStorage));
        this.codecs = Collections.unmodifiableList(all);
        Map<String, Class<?>> types = new HashMap<>();
        // Reverse order so that earlier codecs (user codecs) win a declared type they share with a built-in.
        for (int i = all.size() - 1; i >= 0; i--) {
            for (String name : all.get(i).declaredTypes()) {
                types.put(name.toUpperCase(Locale.ROOT), all.get(i).declaredJavaType());
            }
        }
        types.putAll(b.declaredTypes);
        this.declaredTypes = Map.copyOf(types);
        this.timeStorage = b.timeStorage;
        this.uuidStorage = b.uuidStorage;
    }

    private static List<Codec<?>> builtIns(TimeStorage time, UuidStorage uuid) {
        return List.of(new LongCodec(), new StringCodec(), new DoubleCodec(), new IntegerCodec(), new BooleanCodec(),
                new ByteArrayCodec(), new ShortCodec(), new ByteCodec(), new FloatCodec(), new CharacterCodec(),
                new BigDecimalCodec(), new BigIntegerCodec(), new ByteBufferCodec(), new UuidCodec(uuid),
                new EnumCodec(), new OptionalCodec(), new InstantCodec(time), new LocalDateCodec(time),
                new LocalTimeCodec(), new LocalDateTimeCodec(time), new OffsetDateTimeCodec(time),
                new ZonedDateTimeCodec(time), new DurationCodec(time));
    }

    /** Codecs found by {@link ServiceLoader}, loaded once, when a registry first asks for them. */
    private static final class Discovered {
        static final List<Codec<?>> CODECS = load();

        private static List<Codec<?>> load() {
            List<Codec<?>> found = new ArrayList<>();
            for (Codec<?> c : ServiceLoader.load(Codec.class, CodecRegistry.class.getClassLoader())) {
                found.add(c);
            }
            return List.copyOf(found);
        }
    }

    private static final class Defaults {
        static final CodecRegistry INSTANCE = builder().build();
    }

    /**
     * The default registry: discovered codecs, then the built-ins, dates and times as ISO-8601 text, UUIDs as text.
     *
     * @return the shared default registry
     */
    public static CodecRegistry defaults() {
        return Defaults.INSTANCE;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Every codec in lookup order: user codecs, discovered codecs, built-ins.
     *
     * @return an immutable list
     */
    public List<Codec<?>> codecs() {
        return codecs;
    }

    /**
     * How dates and times are stored.
     *
     * @return the setting
     */
    public TimeStorage timeStorage() {
        return timeStorage;
    }

    /**
     * How UUIDs are stored.
     *
     * @return the setting
     */
    public UuidStorage uuidStorage() {
        return uuidStorage;
    }

    /**
     * Whether values of a class can be bound as parameters.
     *
     * @param type a runtime class
     * @return {@code true} when a codec encodes it
     */
    public boolean canEncode(Class<?> type) {
        return encoder(type) != NONE;
    }

    /**
     * Encodes a value to a SQLite value, applying codecs until the result is one.
     *
     * @param value any value, or {@code null}
     * @return {@code null}, {@link Long}, {@link Double}, {@link String} or {@code byte[]}
     * @throws IllegalArgumentException if no codec takes the value's class, or the codec refuses the value; the
     *     message names the class
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object encode(Object value) {
        Object v = value;
        for (int step = 0; step < MAX_ENCODE_STEPS; step++) {
            if (v == null || v instanceof Long || v instanceof String || v instanceof Double || v instanceof byte[]) {
                if (v instanceof Double && ((Double) v).isNaN()) {
                    DoubleCodec.checkNotNaN((Double) v);
                }
                return v;
            }
            Codec c = encoder(v.getClass());
            if (c == NONE) {
                throw new IllegalArgumentException("unsupported type " + v.getClass().getName()
                        + (v == value ? "" : " (from encoding a " + value.getClass().getName() + ")")
                        + "; register a Codec for it, or pass null, a number, boolean, String, byte[], ByteBuffer,"
                        + " BigDecimal, BigInteger, UUID, enum, Optional or java.time value");
            }
            v = c.encode(v);
        }
        throw new IllegalArgumentException("encoding a " + value.getClass().getName() + " did not reach a SQLite value"
                + " after " + MAX_ENCODE_STEPS + " codecs; last: " + v.getClass().getName());
    }

    /**
     * Decodes a SQLite value to a class. A value that already is an instance of the class is returned as is
     * ({@code byte[]} copied); {@code Object.class} returns the value as stored.
     *
     * @param value {@code null}, {@link Long}, {@link Double}, {@link String} or {@code byte[]}
     * @param type the class wanted; primitives are boxed
     * @param <T> the class wanted
     * @return the value, {@code null} for NULL ({@link Optional#empty()} when {@code type} is {@link Optional})
     * @throws IllegalArgumentException if no codec decodes to the class, or the value does not convert; the message
     *     names both
     */
    @SuppressWarnings("unchecked")
    public <T> T decode(Object value, Class<T> type) {
        Objects.requireNonNull(type, "type");
        Class<?> t = type.isPrimitive() ? boxed(type) : type;
        if (value == null) {
            return t == Optional.class ? (T) Optional.empty() : null;
        }
        if (t.isInstance(value)) {
            return (T) (value instanceof byte[] ? ((byte[]) value).clone() : value);
        }
        if (t == Number.class) {
            return (T) Numeric.toBigDecimal(value);
        }
        Codec<?> c = decoder(t);
        if (c == NONE) {
            throw new IllegalArgumentException("no codec decodes to " + type.getName()
                    + "; register a Codec for it");
        }
        return (T) c.decode(value, t);
    }

    /**
     * The class a declared column type selects, as Python's {@code detect_types} does: the first word of the type,
     * case-insensitive ({@code DECIMAL(10,2)} and {@code DECIMAL TEXT} are {@code DECIMAL}).
     *
     * @param declaredType a declared type or a column-name hint, may be {@code null}
     * @return the class, or {@code null} when the type is not recognised (values then keep their storage class)
     */
    public Class<?> javaTypeFor(String declaredType) {
        if (declaredType == null) {
            return null;
        }
        String s = declaredType.strip();
        int end = 0;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end)) && s.charAt(end) != '(') {
            end++;
        }
        return end == 0 ? null : declaredTypes.get(s.substring(0, end).toUpperCase(Locale.ROOT));
    }

    private Codec<?> encoder(Class<?> type) {
        Codec<?> c = encoders.get(type);
        if (c == null) {
            c = NONE;
            for (Codec<?> candidate : codecs) {
                if (candidate.canEncode(type)) {
                    c = candidate;
                    break;
                }
            }
            encoders.put(type, c);
        }
        return c;
    }

    private Codec<?> decoder(Class<?> type) {
        Codec<?> c = decoders.get(type);
        if (c == null) {
            c = NONE;
            for (Codec<?> candidate : codecs) {
                if (candidate.canDecode(type)) {
                    c = candidate;
                    break;
                }
            }
            decoders.put(type, c);
        }
        return c;
    }

    static Class<?> boxed(Class<?> p) {
        if (p == long.class) {
            return Long.class;
        }
        if (p == int.class) {
            return Integer.class;
        }
        if (p == double.class) {
            return Double.class;
        }
        if (p == boolean.class) {
            return Boolean.class;
        }
        if (p == float.class) {
            return Float.class;
        }
        if (p == short.class) {
            return Short.class;
        }
        if (p == byte.class) {
            return Byte.class;
        }
        if (p == char.class) {
            return Character.class;
        }
        return p;
    }

    @Override
    public String toString() {
        return "CodecRegistry[" + codecs.size() + " codecs, " + timeStorage + ", UUID as " + uuidStorage + "]";
    }

    /** Builds a {@link CodecRegistry}. Not thread-safe. */
    public static final class Builder {
        private final List<Codec<?>> codecs = new ArrayList<>();
        private final Map<String, Class<?>> declaredTypes = new HashMap<>();
        private boolean discover = true;
        private TimeStorage timeStorage = TimeStorage.ISO_TEXT;
        private UuidStorage uuidStorage = UuidStorage.TEXT;

        private Builder() {
        }

        /**
         * Adds a codec ahead of the discovered and built-in ones, after those added before it.
         *
         * @param codec the codec
         * @return this builder
         */
        public Builder add(Codec<?> codec) {
            codecs.add(Objects.requireNonNull(codec, "codec"));
            return this;
        }

        /**
         * Whether codecs found by {@link ServiceLoader} are included (they are by default).
         *
         * @param discover {@code false} to ignore them
         * @return this builder
         */
        public Builder discover(boolean discover) {
            this.discover = discover;
            return this;
        }

        /**
         * How the built-in {@code java.time} codecs store values.
         *
         * @param timeStorage the storage; {@link TimeStorage#ISO_TEXT} by default
         * @return this builder
         */
        public Builder timeStorage(TimeStorage timeStorage) {
            this.timeStorage = Objects.requireNonNull(timeStorage, "timeStorage");
            return this;
        }

        /**
         * How the built-in UUID codec stores values.
         *
         * @param uuidStorage the storage; {@link UuidStorage#TEXT} by default
         * @return this builder
         */
        public Builder uuidStorage(UuidStorage uuidStorage) {
            this.uuidStorage = Objects.requireNonNull(uuidStorage, "uuidStorage");
            return this;
        }

        /**
         * Makes a declared column type (its first word, case-insensitive) select a class for {@code Row.get(i)},
         * like Python's {@code register_converter}; overrides codecs' own {@link Codec#declaredTypes()}.
         *
         * @param name the declared type, such as {@code MONEY}
         * @param type the class a codec of this registry decodes to
         * @return this builder
         */
        public Builder declaredType(String name, Class<?> type) {
            Objects.requireNonNull(type, "type");
            if (Objects.requireNonNull(name, "name").isBlank() || name.strip().matches(".*[\\s(].*")) {
                throw new IllegalArgumentException("a declared type name is one word, was '" + name + "'");
            }
            declaredTypes.put(name.strip().toUpperCase(Locale.ROOT), type);
            return this;
        }

        /**
         * Builds the registry.
         *
         * @return the registry
         */
        public CodecRegistry build() {
            return new CodecRegistry(this);
        }
    }
}
