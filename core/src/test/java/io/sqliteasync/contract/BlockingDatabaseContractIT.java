package io.sqliteasync.contract;

/** The {@link SqlClientContract} run against the blocking view of a Database (writes to the writer, queries to readers). */
class BlockingDatabaseContractIT extends SqlClientContract {
    BlockingDatabaseContractIT() {
        super(Fixtures.blocking(new Fixtures.Db()));
    }
}
