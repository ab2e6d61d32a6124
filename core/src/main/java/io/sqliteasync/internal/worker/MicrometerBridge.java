package io.sqliteasync.internal.worker;

/**
 * Captures and restores Micrometer context-propagation snapshots (MDC, tracing, ...) when
 * {@code io.micrometer:context-propagation} is on the class path; absent otherwise. Only this class and
 * {@link MicrometerSupport} refer to Micrometer types, so the library runs without it.
 */
abstract class MicrometerBridge {
    abstract Object capture();

    abstract AutoCloseable apply(Object snapshot);

    static MicrometerBridge load() {
        try {
            Class.forName("io.micrometer.context.ContextSnapshotFactory", false, MicrometerBridge.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        try {
            return new MicrometerSupport();
        } catch (LinkageError e) {
            return null;
        }
    }
}
