package io.sqliteasync.dqlite.contract;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.contract.SqlClientContract;
import io.sqliteasync.dqlite.SharedCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the contract suite's clients live on the shared dqlite cluster: one database per test, named by its directory. */
final class DqliteContracts {
    private DqliteContracts() {
    }

    /** The URL standing for a test's file: the test's temporary directory names the database. */
    static String location(Path file) {
        try {
            return SharedCluster.url("contract-" + file.getParent().getFileName());
        } catch (Exception e) {
            throw new IllegalStateException("the dqlite cluster did not start", e);
        }
    }

    /** The table {@code item} with {@value io.sqliteasync.contract.SqlClientContract#SEEDED} rows, as the file-based seeding makes it. */
    static void seed(Path file) {
        try (AsyncConnection c = AsyncConnection.open(location(file)).join()) {
            c.executeScript("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER)")
                    .join();
            List<Object[]> sets = new ArrayList<>();
            for (int i = 1; i <= SqlClientContract.SEEDED; i++) {
                sets.add(new Object[] {"n" + i, i});
            }
            c.executeMany("INSERT INTO item(name, qty) VALUES (?, ?)", sets).join();
        }
    }
}
