package io.sqliteasync.contract;

import io.sqliteasync.SqlClient;
import java.nio.file.Path;

/** The {@link SqlClientContract} run against the blocking view of a Snapshot from Database.read(fn): queries only, writes refused. */
class BlockingSnapshotContractIT extends SqlClientContract {
    private final Fixtures.DbSnapshot fixture = new Fixtures.DbSnapshot();

    @Override
    protected SqlClient open(Path file) {
        return new BlockingAsAsync(fixture.open(file).blocking());
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
