package io.sqliteasync.contract;

import io.sqliteasync.SqlClient;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against the blocking view of a Transaction handle from Database.begin(). */
class BlockingDatabaseTransactionHandleContractIT extends SqlClientContract {
    private final Fixtures.DbTransaction fixture = new Fixtures.DbTransaction();

    @Override
    protected SqlClient open(Path file) {
        return new BlockingAsAsync(fixture.open(file).blocking());
    }

    @Override
    protected void end() {
        fixture.end();
    }
}
