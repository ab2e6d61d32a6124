package io.sqliteasync.dqlite.contract;

import io.sqliteasync.contract.Fixtures;
import io.sqliteasync.contract.SqlClientContract;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against a snapshot from Database.read(fn) over a dqlite cluster. */
class DqliteSnapshotContractIT extends SqlClientContract {
    DqliteSnapshotContractIT() {
        super(new Fixtures.DbSnapshot(DqliteContracts::location));
    }

    @Override
    protected void seed(Path file) {
        DqliteContracts.seed(file);
    }
}
