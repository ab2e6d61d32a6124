package io.sqliteasync.modulepath;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.codec.CodecRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs on the module path (surefire execution {@code module-path} in core/pom.xml; every other test runs on the class
 * path and this one is left out there). Surefire patches the test classes into {@code io.sqliteasync.core}, so this
 * checks the library as a named module: its descriptor resolves at run time against sqlite-jdbc's module, a query
 * works, and only the API packages are exported.
 */
class ModulePathIT {
    @TempDir
    Path dir;

    @Test
    void theLibraryRunsAsANamedModuleExportingOnlyItsApi() {
        Module module = AsyncConnection.class.getModule();
        assertThat(module.isNamed()).as("loaded from the module path").isTrue();
        assertThat(module.getName()).isEqualTo("io.sqliteasync.core");
        assertThat(module.isExported("io.sqliteasync")).isTrue();
        assertThat(module.isExported("io.sqliteasync.codec")).isTrue();
        assertThat(module.isExported("io.sqliteasync.internal.worker")).isFalse();
        assertThat(module.isExported("io.sqliteasync.internal.pool")).isFalse();
        assertThat(CodecRegistry.class.getModule()).isSameAs(module);
        assertThat(module.getDescriptor().requires()).anyMatch(r -> r.name().equals("org.xerial.sqlitejdbc"));

        try (AsyncConnection db = AsyncConnection.open(dir.resolve("m.db").toString()).join()) {
            db.execute("CREATE TABLE t(x INTEGER)").join();
            db.execute("INSERT INTO t(x) VALUES (?), (?)", 20, 22).join();
            assertThat(db.fetchOne("SELECT sum(x) FROM t").join().getLong(0)).isEqualTo(42);
        }
    }
}
