package io.sqliteasync;

/**
 * How {@link Database#transaction(TransactionMode, java.util.function.Function)} begins its transaction.
 *
 * @see <a href="https://sqlite.org/lang_transaction.html">SQLite: BEGIN TRANSACTION</a>
 */
public enum TransactionMode {
    /**
     * {@code BEGIN DEFERRED}: no lock until the first read or write. A deferred transaction that reads and then writes
     * can fail with {@link SqliteBusyException} when another process wrote in between; prefer {@link #IMMEDIATE}.
     */
    DEFERRED("BEGIN DEFERRED"),
    /**
     * {@code BEGIN IMMEDIATE}, the default: takes the write lock at once (waiting up to the busy timeout for another
     * process), so the transaction never has to upgrade a read lock and cannot deadlock on it.
     */
    IMMEDIATE("BEGIN IMMEDIATE"),
    /**
     * {@code BEGIN EXCLUSIVE}: like {@link #IMMEDIATE} in WAL mode; in rollback-journal mode it also blocks readers.
     */
    EXCLUSIVE("BEGIN EXCLUSIVE");

    private final String sql;

    TransactionMode(String sql) {
        this.sql = sql;
    }

    /**
     * The statement that opens the transaction.
     *
     * @return for example {@code BEGIN IMMEDIATE}
     */
    public String beginSql() {
        return sql;
    }
}
