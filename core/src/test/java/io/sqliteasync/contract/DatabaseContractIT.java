package io.sqliteasync.contract;

/** The {@link SqlClientContract} run against a Database (writes to the writer, queries to readers). */
class DatabaseContractIT extends SqlClientContract {
    DatabaseContractIT() {
        super(new Fixtures.Db());
    }
}
