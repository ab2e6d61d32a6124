package io.sqliteasync.dqlite.contract;

import io.sqliteasync.contract.Fixtures;
import io.sqliteasync.contract.SqlClientContract;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against an AsyncConnection over a dqlite cluster. */
class DqliteAsyncConnectionContractIT extends SqlClientContract {
    DqliteAsyncConnectionContractIT() {
        super(new Fixtures.Connection(DqliteContracts::location));
    }

    @Override
    protected void seed(Path file) {
        DqliteContracts.seed(file);
    }
}
