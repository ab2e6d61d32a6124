package io.sqliteasync;

import java.util.Objects;

/**
 * The blocking view of a {@link Transaction}: the query surface of {@link BlockingSqlClient} inside the transaction,
 * plus savepoints, {@link #commit()}, {@link #rollback()} and {@link #close()}. Handed to the body of a blocking
 * transaction, or returned by {@link BlockingDatabase#begin()} and {@link BlockingConnection#begin()}. Calls wait on
 * the calling thread while they run on the connection the transaction holds.
 */
public final class BlockingTransaction extends BlockingSqlClient implements AutoCloseable {
    private final Transaction tx;

    BlockingTransaction(Transaction tx) {
        super(tx, tx.worker.options().prefetch());
        this.tx = tx;
    }

    /**
     * The asynchronous handle behind this view.
     *
     * @return the transaction
     */
    @Override
    public Transaction async() {
        return tx;
    }

    /**
     * Runs {@code body} on this thread inside a savepoint: released when it returns, rolled back to (keeping this
     * transaction's earlier work) when it throws.
     *
     * @param body the work
     * @param <T> the result type
     * @return what the body returned
     * @throws SqliteException for a failed savepoint; what the body threw is rethrown after the rollback to it
     */
    public <T> T transaction(SqlFunction<? super BlockingTransaction, T> body) {
        Objects.requireNonNull(body, "body");
        return BlockingSqlClient.<Transaction, T>runBody((handle, stage) -> tx.transaction(nested -> {
            handle.complete(nested);
            return stage;
        }), nested -> Transaction.marked(nested, () -> {
            try {
                return body.apply(nested.blocking());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new SqliteException("the command failed: " + e, -1, null, e);
            }
        }));
    }

    /**
     * Commits and gives the connection back; see {@link Transaction#commit()}.
     *
     * @throws SqliteException the commit's error, or why the transaction had already ended
     */
    public void commit() {
        await(tx.commit());
    }

    /**
     * Rolls back and gives the connection back; see {@link Transaction#rollback()}.
     *
     * @throws SqliteException when the transaction had committed
     */
    public void rollback() {
        await(tx.rollback());
    }

    /**
     * Rolls back when neither {@link #commit()} nor {@link #rollback()} ran, without waiting; see
     * {@link Transaction#close()}.
     */
    @Override
    public void close() {
        tx.close();
    }
}
