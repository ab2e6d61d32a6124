package io.sqliteasync.contract;

import io.sqliteasync.SqlClient;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against a Transaction handle from Database.begin(). */
class DatabaseTransactionHandleContractIT extends SqlClientContract {
    private final Fixtures.DbTransaction fixture = new Fixtures.DbTransaction();

    @Override
    protected SqlClient open(Path file) {
        return fixture.open(file);
    }

    @Override
    protected void end() {
        fixture.end();
    }
}
