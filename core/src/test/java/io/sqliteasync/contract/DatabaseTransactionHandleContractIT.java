package io.sqliteasync.contract;

/** The {@link SqlClientContract} run against a Transaction handle from Database.begin(). */
class DatabaseTransactionHandleContractIT extends SqlClientContract {
    DatabaseTransactionHandleContractIT() {
        super(new Fixtures.DbTransaction());
    }
}
