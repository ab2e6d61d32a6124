package io.sqliteasync.contract;

/** The {@link SqlClientContract} run against a Snapshot from Database.read(fn): queries only, writes refused. */
class SnapshotContractIT extends SqlClientContract {
    SnapshotContractIT() {
        super(new Fixtures.DbSnapshot());
    }
}
