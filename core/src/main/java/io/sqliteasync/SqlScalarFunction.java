package io.sqliteasync;

/**
 * A SQL scalar function, registered with {@link AsyncConnection#createFunction}. It runs on the connection's worker
 * thread, inside the statement that calls it, with the caller's context installed.
 *
 * <p>Arguments arrive as SQLite storage classes: {@link Long}, {@link Double}, {@link String}, {@code byte[]} or
 * {@code null}. Return one of those (or an {@link Integer}, {@link Float}, {@link Boolean}, ...), or a
 * {@link java.util.concurrent.CompletionStage} of one to compute the result asynchronously: the worker then waits for
 * the stage, bounded by the call's deadline (or {@link ConnectionOptions#callbackTimeout()}). An exception thrown here
 * or by the stage fails the statement, with it as the cause.
 */
@FunctionalInterface
public interface SqlScalarFunction {
    /**
     * Computes the function's value for one row.
     *
     * @param args the arguments
     * @return the value, or a {@code CompletionStage} of it
     * @throws Exception to fail the statement
     */
    Object apply(Object[] args) throws Exception;
}
