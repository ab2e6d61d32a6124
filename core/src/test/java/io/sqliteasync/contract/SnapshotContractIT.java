package io.sqliteasync.contract;

import io.sqliteasync.SqlClient;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against a Snapshot from Database.read(fn): queries only, writes refused. */
class SnapshotContractIT extends SqlClientContract {
    private final Fixtures.DbSnapshot fixture = new Fixtures.DbSnapshot();

    @Override
    protected SqlClient open(Path file) {
        return fixture.open(file);
    }

    @Override
    protected void end() {
        fixture.end();
    }

    @Override
    protected boolean writes() {
        return false;
    }
}
