package io.sqliteasync.dqlite.contract;

import io.sqliteasync.contract.Fixtures;
import io.sqliteasync.contract.SqlClientContract;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against a Database (writer and readers all on the leader) over a dqlite cluster. */
class DqliteDatabaseContractIT extends SqlClientContract {
    DqliteDatabaseContractIT() {
        super(new Fixtures.Db(DqliteContracts::location));
    }

    @Override
    protected void seed(Path file) {
        DqliteContracts.seed(file);
    }
}
