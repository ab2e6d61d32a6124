package io.sqliteasync.contract;

import io.sqliteasync.SqlClient;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against the AsyncConnection itself. */
class AsyncConnectionContractIT extends SqlClientContract {
    private final Fixtures.Connection fixture = new Fixtures.Connection();

    @Override
    protected SqlClient open(Path file) {
        return fixture.open(file);
    }

    @Override
    protected void end() {
        fixture.end();
    }
}
