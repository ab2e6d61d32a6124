package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @TempDir
    Path dir;

    @Test
    void basicRoundTrip() {
        try (AsyncConnection c = AsyncConnection.open(dir.resolve("a.db").toString()).join()) {
            BlockingConnection b = c.blocking();
            b.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT)");
            ExecuteResult r = b.execute("INSERT INTO t(name) VALUES (?)", "x");
            assertThat(r.rowsUpdated()).isEqualTo(1);
            assertThat(r.lastInsertRowid()).isEqualTo(1);
            List<Row> rows = b.fetchAll("SELECT id, name FROM t");
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).getString("NAME")).isEqualTo("x");
            assertThat(rows.get(0).get("id")).isEqualTo(1L);
        }
    }
}
