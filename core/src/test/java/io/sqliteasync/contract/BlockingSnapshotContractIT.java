package io.sqliteasync.contract;

/** The {@link SqlClientContract} run against the blocking view of a Snapshot from Database.read(fn): queries only, writes refused. */
class BlockingSnapshotContractIT extends SqlClientContract {
    BlockingSnapshotContractIT() {
        super(Fixtures.blocking(new Fixtures.DbSnapshot()));
    }
}
