package io.sqliteasync.dqlite.contract;

import io.sqliteasync.contract.Fixtures;
import io.sqliteasync.contract.SqlClientContract;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against a transaction handle from AsyncConnection.begin() over a dqlite cluster. */
class DqliteConnectionTransactionHandleContractIT extends SqlClientContract {
    DqliteConnectionTransactionHandleContractIT() {
        super(new Fixtures.ConnectionTransaction(DqliteContracts::location));
    }

    @Override
    protected void seed(Path file) {
        DqliteContracts.seed(file);
    }
}
