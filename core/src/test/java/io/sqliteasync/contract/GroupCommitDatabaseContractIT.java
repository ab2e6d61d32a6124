package io.sqliteasync.contract;

/** The {@link SqlClientContract} run against a Database with group commit on. */
class GroupCommitDatabaseContractIT extends SqlClientContract {
    GroupCommitDatabaseContractIT() {
        super(new Fixtures.GroupCommitDb());
    }
}
