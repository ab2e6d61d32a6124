package io.sqliteasync;

/**
 * The state of one group of a SQL aggregate function, registered with
 * {@link AsyncConnection#createAggregateFunction}; a new instance is made for each group. Methods run on the
 * worker thread inside the statement. Each may return a {@link java.util.concurrent.CompletionStage} instead of a
 * plain value; the worker then waits for it, bounded by the call's deadline. Arguments and results are as for
 * {@link SqlScalarFunction}.
 */
public interface SqlAggregate {
    /**
     * Adds one row to the group.
     *
     * @param args the arguments
     * @return {@code null}, or a {@code CompletionStage} the worker waits for
     * @throws Exception to fail the statement
     */
    Object step(Object[] args) throws Exception;

    /**
     * The group's final value.
     *
     * @return the value, or a {@code CompletionStage} of it
     * @throws Exception to fail the statement
     */
    Object finish() throws Exception;
}
