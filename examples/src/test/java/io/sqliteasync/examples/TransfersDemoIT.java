package io.sqliteasync.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.Database;
import io.sqliteasync.dqlite.SharedCluster;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same unchanged program, {@link TransfersDemo}, on a local file and on a three-node dqlite cluster: only the
 * location differs. The demo checks its own invariant (no money created or lost) and throws otherwise; the test
 * reads the result back through a new {@code Database} on the same location.
 */
@Timeout(300)
class TransfersDemoIT {
    private static void runAndCheck(String location) throws Exception {
        TransfersDemo.main(new String[] {location});
        try (Database db = Database.open(location).get(60, TimeUnit.SECONDS)) {
            assertThat(db.fetchOne("SELECT count(*), sum(balance) FROM account").get(60, TimeUnit.SECONDS).toMap())
                    .containsEntry("count(*)", 20L)
                    .containsEntry("sum(balance)", 20_000L);
        }
    }

    @Test
    void theDemoRunsOnALocalFile(@TempDir Path dir) throws Exception {
        runAndCheck(dir.resolve("bank.db").toString());
    }

    @Test
    void theSameDemoRunsOnADqliteClusterChosenByUrl() throws Exception {
        runAndCheck(SharedCluster.url("transfers"));
    }
}
