package io.sqliteasync;

/**
 * How far an online backup (or a restore) has got: reported after each step to
 * {@link BackupOptions#listener()}, and the value a finished backup completes with.
 *
 * <p>{@code pageCount} is the source's size now: when another connection writes to the source during a backup, SQLite
 * restarts the copy, so {@code pagesCopied} may go back and {@code pageCount} may change between two reports.
 *
 * @param step the number of this step, from 1
 * @param pagesCopied pages copied so far in the current pass
 * @param pageCount pages in the source
 * @param restarts how many times the copy started again from the first page because another connection wrote to the
 *     source
 */
public record BackupProgress(int step, int pagesCopied, int pageCount, int restarts) {
    /**
     * Pages still to copy.
     *
     * @return {@code pageCount - pagesCopied}
     */
    public int remaining() {
        return pageCount - pagesCopied;
    }

    /**
     * Whether the copy is complete.
     *
     * @return {@code true} once every page is copied
     */
    public boolean done() {
        return pagesCopied == pageCount;
    }
}
