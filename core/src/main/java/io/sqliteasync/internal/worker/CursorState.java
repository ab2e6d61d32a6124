package io.sqliteasync.internal.worker;

import io.sqliteasync.RowMetadata;

/**
 * The caller-side half of an open query: its SQL, where it was opened, and whether it is exhausted. Created by the
 * caller; the worker fills it and keeps its statement in an {@link OpenCursor} that does not point back here, so
 * that a cursor its caller dropped becomes unreachable and is closed by the worker (see {@link OpenCursor}).
 * {@link #closeRequested} is the one field other threads write (a cancelled stream sets it so the worker skips work
 * it no longer needs).
 */
public final class CursorState {
    final String sql;
    final Object[] args;
    /** Where the caller opened the cursor, captured on the calling thread; {@code null} when capture is off. */
    final String origin;
    /** The worker's handle while the statement is open; worker thread only. */
    OpenCursor open;
    RowMetadata metadata;
    boolean exhausted;
    boolean closed;
    /** Written by any thread that gives up on the cursor, read by the worker. */
    volatile boolean closeRequested;
    /** Set by the worker once the statement is released (exhausted, failed or closed); read by any thread. */
    volatile boolean released;

    /**
     * Creates the state for a query that has not started yet, and notes where the caller is (see {@link CallSite}).
     *
     * @param sql the query
     * @param args its parameters
     */
    public CursorState(String sql, Object[] args) {
        this.sql = sql;
        this.args = args;
        this.origin = CallSite.capture();
    }

    /**
     * The columns, known once the cursor has opened.
     *
     * @return the metadata, or {@code null} before the query started
     */
    public RowMetadata metadata() {
        return metadata;
    }

    /**
     * Whether the worker has already released the statement, so closing needs no command.
     *
     * @return {@code true} once exhausted, failed or closed
     */
    public boolean released() {
        return released;
    }

    /** Asks the worker to drop the cursor at its next chance; any thread. */
    public void requestClose() {
        closeRequested = true;
    }
}
