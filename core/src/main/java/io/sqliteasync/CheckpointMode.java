package io.sqliteasync;

/**
 * The kind of WAL checkpoint {@link Database#checkpoint(CheckpointMode)} runs.
 *
 * @see <a href="https://sqlite.org/pragma.html#pragma_wal_checkpoint">SQLite: PRAGMA wal_checkpoint</a>
 */
public enum CheckpointMode {
    /** Copies as many frames as possible without waiting for readers or writers. */
    PASSIVE,
    /** Waits (up to the busy timeout) for writers, then copies every frame, waiting for readers as needed. */
    FULL,
    /** Like {@link #FULL}, then waits until readers are done with the WAL so the next writer restarts it. */
    RESTART,
    /** Like {@link #RESTART}, and truncates the WAL file to zero bytes. */
    TRUNCATE
}
