package io.sqliteasync.contract;

import io.sqliteasync.SqlClient;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against the blocking view of a Database (writes to the writer, queries to readers). */
class BlockingDatabaseContractIT extends SqlClientContract {
    private final Fixtures.Db fixture = new Fixtures.Db();

    @Override
    protected SqlClient open(Path file) {
        return new BlockingAsAsync(fixture.open(file).blocking());
    }

    @Override
    protected void end() {
        fixture.end();
    }
}
