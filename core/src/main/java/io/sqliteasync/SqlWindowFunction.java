package io.sqliteasync;

/**
 * An aggregate that can also run as a window function ({@code OVER (...)}), registered with
 * {@link AsyncConnection#createWindowFunction}. Besides {@link #step} and {@link #finish} it removes rows that leave
 * the window and reports the current value.
 */
public interface SqlWindowFunction extends SqlAggregate {
    /**
     * Removes a row that left the window.
     *
     * @param args the arguments the row was added with
     * @return {@code null}, or a {@code CompletionStage} the worker waits for
     * @throws Exception to fail the statement
     */
    Object inverse(Object[] args) throws Exception;

    /**
     * The value for the current window.
     *
     * @return the value, or a {@code CompletionStage} of it
     * @throws Exception to fail the statement
     */
    Object value() throws Exception;
}
