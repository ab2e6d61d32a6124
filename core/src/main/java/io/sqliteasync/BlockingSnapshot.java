package io.sqliteasync;

import static io.sqliteasync.BlockingConnection.await;

import java.util.List;
import java.util.Optional;

/**
 * The blocking view of a {@link Snapshot}, handed to the body of {@link BlockingDatabase#read}. Every query sees the
 * same consistent state; valid only while the body runs.
 */
public final class BlockingSnapshot {
    private final Snapshot snapshot;

    BlockingSnapshot(Snapshot snapshot) {
        this.snapshot = snapshot;
    }

    /**
     * Runs a query in the snapshot.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return every row
     */
    public List<Row> fetchAll(String sql, Object... args) {
        return await(snapshot.fetchAll(sql, args));
    }

    /**
     * Runs a query in the snapshot and returns its first row.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return the first row, or {@code null}
     */
    public Row fetchOne(String sql, Object... args) {
        return await(snapshot.fetchOne(sql, args));
    }

    /**
     * Runs a query in the snapshot and returns its first row, if any.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return the first row or an empty optional
     */
    public Optional<Row> fetchOptional(String sql, Object... args) {
        return await(snapshot.fetchOptional(sql, args));
    }
}
