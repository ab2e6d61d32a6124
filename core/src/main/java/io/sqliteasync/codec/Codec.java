package io.sqliteasync.codec;

import java.util.Set;

/**
 * Converts one Java type to a SQLite value and back. Codecs are pure functions: stateless (or immutable), safe to
 * call from any thread, and free of side effects. A {@link CodecRegistry} asks its codecs in order, user codecs
 * first, and uses the first that answers {@code true}.
 *
 * <p><b>SQLite values.</b> SQLite has five storage classes; on the Java side they are {@code null} (NULL),
 * {@link Long} (INTEGER), {@link Double} (REAL), {@link String} (TEXT) and {@code byte[]} (BLOB). {@link #encode}
 * returns one of these, or another Java value that the registry encodes in turn (a {@code Money} codec may return a
 * {@link java.math.BigDecimal}); {@link #decode} receives one of the four non-null classes, never {@code null}.
 *
 * <p>Implementations may be registered with {@link CodecRegistry.Builder#add(Codec)} or discovered through
 * {@link java.util.ServiceLoader} (a public no-argument constructor and a
 * {@code META-INF/services/io.sqliteasync.codec.Codec} entry, or {@code provides} in a module descriptor).
 *
 * @param <T> the Java type
 */
public interface Codec<T> {

    /**
     * Whether this codec encodes values of a class. Must depend only on the class: the registry caches the answer.
     *
     * @param type the runtime class of a non-null parameter value
     * @return {@code true} to be used for values of that class
     */
    boolean canEncode(Class<?> type);

    /**
     * Whether this codec decodes SQLite values to a class. Must depend only on the class: the registry caches the
     * answer.
     *
     * @param type the class asked for, never primitive (the registry boxes primitives first)
     * @return {@code true} to be used for that class
     */
    boolean canDecode(Class<?> type);

    /**
     * Encodes a value.
     *
     * @param value a non-null value of a class for which {@link #canEncode} returned {@code true}
     * @return {@code null}, {@link Long}, {@link Double}, {@link String}, {@code byte[]}, or a value the registry
     *     encodes further
     * @throws IllegalArgumentException if this value cannot be stored (the message says why)
     */
    Object encode(T value);

    /**
     * Decodes a SQLite value.
     *
     * @param value a {@link Long}, {@link Double}, {@link String} or {@code byte[]}; never {@code null}
     * @param type the class asked for, for which {@link #canDecode} returned {@code true} (an enum class, for
     *     example)
     * @return the decoded value, an instance of {@code type}
     * @throws IllegalArgumentException if the value cannot be converted (the message says why)
     */
    T decode(Object value, Class<?> type);

    /**
     * Declared column types (first word of the type, upper case, as in {@code CREATE TABLE t(x MONEY)}) for which
     * {@code Row.get(i)} should return this codec's type, and that type. Empty by default.
     *
     * @return upper-case declared type names
     */
    default Set<String> declaredTypes() {
        return Set.of();
    }

    /**
     * The class {@code Row.get(i)} returns for a column whose declared type is one of {@link #declaredTypes()}.
     * Only consulted when {@link #declaredTypes()} is not empty.
     *
     * @return the class; {@code Object.class} by default
     */
    default Class<?> declaredJavaType() {
        return Object.class;
    }
}
