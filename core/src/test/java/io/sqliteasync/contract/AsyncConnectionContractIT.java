package io.sqliteasync.contract;

/** The {@link SqlClientContract} run against the AsyncConnection itself. */
class AsyncConnectionContractIT extends SqlClientContract {
    AsyncConnectionContractIT() {
        super(new Fixtures.Connection());
    }
}
