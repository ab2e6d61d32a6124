package io.sqliteasync.contract;

/** The {@link SqlClientContract} run against a Transaction handle from AsyncConnection.begin(). */
class ConnectionTransactionHandleContractIT extends SqlClientContract {
    ConnectionTransactionHandleContractIT() {
        super(new Fixtures.ConnectionTransaction());
    }
}
