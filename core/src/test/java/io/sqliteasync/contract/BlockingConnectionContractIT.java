package io.sqliteasync.contract;

/** The {@link SqlClientContract} run against the blocking view of the AsyncConnection itself. */
class BlockingConnectionContractIT extends SqlClientContract {
    BlockingConnectionContractIT() {
        super(Fixtures.blocking(new Fixtures.Connection()));
    }
}
