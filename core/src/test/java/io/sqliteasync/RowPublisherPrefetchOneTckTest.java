package io.sqliteasync;

/**
 * The Reactive Streams TCK again with one row per round trip, so that every stream's length is a multiple of the
 * prefetch and the end of the rows is only found by a fetch of its own.
 */
public class RowPublisherPrefetchOneTckTest extends RowPublisherTckTest {
    /** The TCK with a prefetch of 1. */
    public RowPublisherPrefetchOneTckTest() {
        super(1);
    }
}
