package io.sqliteasync.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine seam holds: sqlite-jdbc ({@code org.sqlite}) is named only by the sqlite-jdbc engine package (and by
 * module-info's {@code requires}), so that the worker, the pool and the public API work with any engine.
 */
class EngineBoundaryTest {
    private static final Path MAIN = Paths.get("src", "main", "java");
    private static final Path ENGINE_PACKAGE = MAIN.resolve(Paths.get("io", "sqliteasync", "internal", "sqlitejdbc"));

    @Test
    void onlyTheSqliteJdbcEnginePackageNamesOrgSqlite() throws IOException {
        assertThat(MAIN).as("the main sources, from the core module's directory").isDirectory();
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                scanned++;
                if (f.startsWith(ENGINE_PACKAGE) || f.getFileName().toString().equals("module-info.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains("org.sqlite")) {
                        offenders.add(MAIN.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(scanned).as("source files scanned").isGreaterThan(50);
        assertThat(offenders).as("org.sqlite named outside internal/sqlitejdbc").isEmpty();
    }

    @Test
    void moduleInfoNamesSqliteJdbcOnlyToRequireIt() throws IOException {
        List<String> lines = Files.readAllLines(MAIN.resolve("module-info.java"), StandardCharsets.UTF_8);
        assertThat(lines.stream().filter(l -> l.contains("org.sqlite") || l.contains("sqlitejdbc")))
                .containsExactly("    requires org.xerial.sqlitejdbc;");
    }

    @Test
    void engineInterfacesDoNotDependOnTheSqliteJdbcEngine() throws IOException {
        Path engine = MAIN.resolve(Paths.get("io", "sqliteasync", "internal", "engine"));
        try (Stream<Path> files = Files.list(engine)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                // A remote engine has no JDBC: the seam itself must not need java.sql.
                assertThat(Files.readString(f)).as(f.toString())
                        .doesNotContain("import io.sqliteasync.internal.sqlitejdbc")
                        .doesNotContain("import io.sqliteasync.internal.worker")
                        .doesNotContain("import java.sql");
            }
        }
    }
}
