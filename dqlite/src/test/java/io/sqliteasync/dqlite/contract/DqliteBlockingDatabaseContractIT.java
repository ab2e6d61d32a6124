package io.sqliteasync.dqlite.contract;

import io.sqliteasync.contract.Fixtures;
import io.sqliteasync.contract.SqlClientContract;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against the blocking view of a Database over a dqlite cluster. */
class DqliteBlockingDatabaseContractIT extends SqlClientContract {
    DqliteBlockingDatabaseContractIT() {
        super(Fixtures.blocking(new Fixtures.Db(DqliteContracts::location)));
    }

    @Override
    protected void seed(Path file) {
        DqliteContracts.seed(file);
    }
}
