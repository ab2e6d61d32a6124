package io.sqliteasync.contract;

import io.sqliteasync.SqlClient;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against the blocking view of the AsyncConnection itself. */
class BlockingConnectionContractIT extends SqlClientContract {
    private final Fixtures.Connection fixture = new Fixtures.Connection();

    @Override
    protected SqlClient open(Path file) {
        return new BlockingAsAsync(fixture.open(file).blocking());
    }

    @Override
    protected void end() {
        fixture.end();
    }
}
