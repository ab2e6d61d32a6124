package io.sqliteasync.contract;

/** The {@link SqlClientContract} run against the blocking view of a Transaction handle from Database.begin(). */
class BlockingDatabaseTransactionHandleContractIT extends SqlClientContract {
    BlockingDatabaseTransactionHandleContractIT() {
        super(Fixtures.blocking(new Fixtures.DbTransaction()));
    }
}
