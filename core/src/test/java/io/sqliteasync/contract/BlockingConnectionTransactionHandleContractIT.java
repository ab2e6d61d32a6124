package io.sqliteasync.contract;

/** The {@link SqlClientContract} run against the blocking view of a Transaction handle from AsyncConnection.begin(). */
class BlockingConnectionTransactionHandleContractIT extends SqlClientContract {
    BlockingConnectionTransactionHandleContractIT() {
        super(Fixtures.blocking(new Fixtures.ConnectionTransaction()));
    }
}
