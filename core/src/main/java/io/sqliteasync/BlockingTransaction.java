package io.sqliteasync;

import static io.sqliteasync.BlockingConnection.await;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The blocking view of a {@link Transaction}, handed to the body of {@link BlockingDatabase#transaction}. Calls wait
 * on the calling thread while they run on the writer; valid only while the body runs.
 */
public final class BlockingTransaction {
    private final Transaction tx;

    BlockingTransaction(Transaction tx) {
        this.tx = tx;
    }

    /**
     * The asynchronous handle behind this view.
     *
     * @return the transaction
     */
    public Transaction async() {
        return tx;
    }

    /**
     * Runs one statement in the transaction; see {@link Transaction#execute}.
     *
     * @param sql one statement
     * @param args one value per placeholder
     * @return rows changed and the last insert rowid
     */
    public ExecuteResult execute(String sql, Object... args) {
        return await(tx.execute(sql, args));
    }

    /**
     * Runs one statement per parameter set in the transaction; see {@link Transaction#executeMany(String, Iterable)}.
     *
     * @param sql one statement
     * @param parameterSets each an {@code Object[]} or a {@link List}
     * @return total rows changed
     */
    public ExecuteResult executeMany(String sql, Iterable<?> parameterSets) {
        return await(tx.executeMany(sql, parameterSets));
    }

    /**
     * Runs a query in the transaction; see {@link Transaction#fetchAll}.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return every row
     */
    public List<Row> fetchAll(String sql, Object... args) {
        return await(tx.fetchAll(sql, args));
    }

    /**
     * Runs a query in the transaction and returns its first row; see {@link Transaction#fetchOne}.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return the first row, or {@code null}
     */
    public Row fetchOne(String sql, Object... args) {
        return await(tx.fetchOne(sql, args));
    }

    /**
     * Runs a query in the transaction and returns its first row, if any.
     *
     * @param sql one query
     * @param args one value per placeholder
     * @return the first row or an empty optional
     */
    public Optional<Row> fetchOptional(String sql, Object... args) {
        return await(tx.fetchOptional(sql, args));
    }

    /**
     * Runs {@code body} on this thread inside a savepoint: released when it returns, rolled back to (keeping this
     * transaction's earlier work) when it throws.
     *
     * @param body the work
     * @param <T> the result type
     * @return what the body returned
     */
    public <T> T transaction(SqlFunction<? super BlockingTransaction, T> body) {
        Objects.requireNonNull(body, "body");
        return BlockingDatabase.<Transaction, T>runBody((handle, stage) -> tx.transaction(nested -> {
            handle.complete(nested);
            return stage;
        }), nested -> body.apply(new BlockingTransaction(nested)));
    }
}
