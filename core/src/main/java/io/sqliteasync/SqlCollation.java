package io.sqliteasync;

/**
 * A collating sequence, registered with {@link AsyncConnection#createCollation} and used by {@code ORDER BY},
 * comparisons and indexes that name it. Runs on the worker thread.
 */
@FunctionalInterface
public interface SqlCollation {
    /**
     * Compares two texts.
     *
     * @param a the first text
     * @param b the second text
     * @return a negative, zero or positive {@link Integer}, or a {@code CompletionStage} of one
     * @throws Exception to fail the statement
     */
    Object compare(String a, String b) throws Exception;
}
