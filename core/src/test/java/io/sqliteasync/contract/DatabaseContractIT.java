package io.sqliteasync.contract;

import io.sqliteasync.SqlClient;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against a Database (writes to the writer, queries to readers). */
class DatabaseContractIT extends SqlClientContract {
    private final Fixtures.Db fixture = new Fixtures.Db();

    @Override
    protected SqlClient open(Path file) {
        return fixture.open(file);
    }

    @Override
    protected void end() {
        fixture.end();
    }
}
