package io.sqliteasync.bench;

import io.sqliteasync.AsyncConnection;

/** Finds the platform thread that owns a connection, to read its CPU clock. */
final class WorkerThreads {
    private static final String PREFIX = "sqlite-async-";

    private WorkerThreads() {
    }

    /**
     * The worker thread of a connection: a {@code run} block executes on it by contract, so it can simply name
     * itself. The name is checked against the library's {@code sqlite-async-} prefix.
     */
    static Thread of(AsyncConnection connection) {
        Thread t = connection.run(c -> Thread.currentThread()).join();
        if (!t.getName().startsWith(PREFIX) || t.isVirtual()) {
            throw new IllegalStateException("unexpected worker thread " + t);
        }
        return t;
    }
}
