package io.sqliteasync.contract;

import io.sqliteasync.SqlClient;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against a Transaction handle from AsyncConnection.begin(). */
class ConnectionTransactionHandleContractIT extends SqlClientContract {
    private final Fixtures.ConnectionTransaction fixture = new Fixtures.ConnectionTransaction();

    @Override
    protected SqlClient open(Path file) {
        return fixture.open(file);
    }

    @Override
    protected void end() {
        fixture.end();
    }
}
