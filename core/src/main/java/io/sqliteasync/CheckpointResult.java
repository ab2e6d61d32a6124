package io.sqliteasync;

/**
 * What a WAL checkpoint did, the three numbers {@code PRAGMA wal_checkpoint} returns.
 *
 * @param busy {@code true} when a FULL, RESTART or TRUNCATE checkpoint could not finish because a reader or another
 *     writer kept it from doing so within the busy timeout
 * @param logFrames frames in the WAL, or {@code -1} when the database is not in WAL mode
 * @param checkpointedFrames frames copied back into the database file, or {@code -1} when not in WAL mode
 */
public record CheckpointResult(boolean busy, long logFrames, long checkpointedFrames) {
}
