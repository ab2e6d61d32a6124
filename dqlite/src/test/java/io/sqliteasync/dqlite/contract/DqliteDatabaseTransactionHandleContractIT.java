package io.sqliteasync.dqlite.contract;

import io.sqliteasync.contract.Fixtures;
import io.sqliteasync.contract.SqlClientContract;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against a transaction handle from Database.begin() over a dqlite cluster. */
class DqliteDatabaseTransactionHandleContractIT extends SqlClientContract {
    DqliteDatabaseTransactionHandleContractIT() {
        super(new Fixtures.DbTransaction(DqliteContracts::location));
    }

    @Override
    protected void seed(Path file) {
        DqliteContracts.seed(file);
    }
}
