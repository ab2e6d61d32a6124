package io.sqliteasync.internal.worker;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;

/** The Micrometer side of {@link MicrometerBridge}; loaded only when Micrometer is present. */
final class MicrometerSupport extends MicrometerBridge {
    private final ContextSnapshotFactory factory = ContextSnapshotFactory.builder()
            .contextRegistry(ContextRegistry.getInstance())
            // Accessors with no value on the caller are cleared on the worker, so nothing leaks between calls.
            .clearMissing(true)
            .build();

    @Override
    Object capture() {
        if (ContextRegistry.getInstance().getThreadLocalAccessors().isEmpty()) {
            return null;
        }
        return factory.captureAll();
    }

    @Override
    AutoCloseable apply(Object snapshot) {
        return ((ContextSnapshot) snapshot).setThreadLocals();
    }
}
