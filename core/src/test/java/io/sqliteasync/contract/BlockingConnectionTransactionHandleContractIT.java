package io.sqliteasync.contract;

import io.sqliteasync.SqlClient;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against the blocking view of a Transaction handle from AsyncConnection.begin(). */
class BlockingConnectionTransactionHandleContractIT extends SqlClientContract {
    private final Fixtures.ConnectionTransaction fixture = new Fixtures.ConnectionTransaction();

    @Override
    protected SqlClient open(Path file) {
        return new BlockingAsAsync(fixture.open(file).blocking());
    }

    @Override
    protected void end() {
        fixture.end();
    }
}
