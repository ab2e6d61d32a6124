package io.sqliteasync;

/**
 * The blocking view of a {@link Snapshot}, handed to the body of {@link BlockingDatabase#read}: the query surface of
 * {@link BlockingSqlClient}, where every query sees the same consistent state; writes are refused. Valid only while
 * the body runs.
 */
public final class BlockingSnapshot extends BlockingSqlClient {
    private final Snapshot snapshot;

    BlockingSnapshot(Snapshot snapshot) {
        super(snapshot, snapshot.worker.options().prefetch());
        this.snapshot = snapshot;
    }

    /**
     * The asynchronous snapshot behind this view.
     *
     * @return the snapshot
     */
    @Override
    public Snapshot async() {
        return snapshot;
    }
}
