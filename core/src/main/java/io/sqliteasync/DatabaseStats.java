package io.sqliteasync;

import java.time.Duration;

/**
 * A snapshot of a {@link Database}'s pool, taken without stopping it (the numbers are each exact but not taken at
 * one instant).
 *
 * @param readers reader connections ({@code 0} when one shared connection serves everything)
 * @param readersBusy readers leased right now
 * @param readerQueueLength callers waiting for a reader
 * @param writerBusy whether the writer is held (by a write or an open transaction)
 * @param writerQueueLength callers waiting for the writer
 * @param readerAcquisitions reader leases granted so far
 * @param writerAcquisitions writer leases granted so far
 * @param readerWaitTotal time callers spent waiting for readers, summed
 * @param readerWaitMax the longest wait for a reader
 * @param writerWaitTotal time callers spent waiting for the writer, summed
 * @param writerWaitMax the longest wait for the writer
 * @param acquireTimeouts acquisitions that failed with {@link SqliteTimeoutException}
 * @param transactionTimeouts transactions and read scopes rolled back by the transaction timeout
 */
public record DatabaseStats(
        int readers,
        int readersBusy,
        int readerQueueLength,
        boolean writerBusy,
        int writerQueueLength,
        long readerAcquisitions,
        long writerAcquisitions,
        Duration readerWaitTotal,
        Duration readerWaitMax,
        Duration writerWaitTotal,
        Duration writerWaitMax,
        long acquireTimeouts,
        long transactionTimeouts) {
}
