package io.sqliteasync;

/**
 * A function that may throw, run on a connection's worker thread by {@link AsyncConnection#run(SqlFunction)}.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SqlFunction<T, R> {
    /**
     * Applies the function.
     *
     * @param value the argument
     * @return the result
     * @throws Exception anything; it fails the call's future
     */
    R apply(T value) throws Exception;
}
