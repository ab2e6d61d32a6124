package io.sqliteasync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sqliteasync.examples.docs.Snippet;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The code in README.md and docs/*.md is the code of {@code io.sqliteasync.examples.docs}: this test fails when a
 * {@code ```java} block has no snippet marker or differs from its source region, and runs every snippet. With
 * {@code -Dsnippets.update=true} it first rewrites the Markdown blocks from the sources.
 */
class DocSnippetsTest {
    private static final Path ROOT = Path.of(System.getProperty("snippets.root", "..")).toAbsolutePath().normalize();
    private static final Path SOURCES = Path.of(System.getProperty("snippets.sources",
            "src/test/java/io/sqliteasync/examples/docs")).toAbsolutePath().normalize();
    private static final String PACKAGE = "io.sqliteasync.examples.docs";
    /**
     * Further source directories whose snippet regions the Markdown may show but that this test neither compiles
     * nor runs: code that needs a Spring Boot application (spring-tests-shared, compiled and run by the Boot 3 and
     * Boot 4 test modules).
     */
    private static final List<Path> EXTERNAL = SnippetDocs.paths(System.getProperty("snippets.external", ""));

    @Test
    void markdownJavaBlocksMatchTheirSources() {
        List<Path> markdown = SnippetDocs.markdownFiles(ROOT);
        Map<String, String> regions = SnippetDocs.regions(SOURCES, EXTERNAL);
        if (Boolean.getBoolean("snippets.update")) {
            List<Path> changed = SnippetDocs.sync(markdown, regions);
            System.out.println(changed.isEmpty() ? "snippets: Markdown up to date" : "snippets: rewrote " + changed);
        }
        List<String> problems = SnippetDocs.problems(markdown, regions);
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s) with the documentation's code blocks:\n\n"
                    + String.join("\n\n", problems));
        }
        Set<String> unshown = new TreeSet<>(regions.keySet());
        SnippetDocs.shown(markdown).forEach(unshown::remove);
        assertTrue(unshown.isEmpty(), "snippet regions that no Markdown file shows: " + unshown);
    }

    @Test
    void everySnippetRegionHasARunner() {
        Set<String> regions = new TreeSet<>(SnippetDocs.regions(SOURCES).keySet());
        Set<String> run = new TreeSet<>(runners().keySet());
        assertEquals(regions, run, "snippet regions and @Snippet runners must name the same snippets");
    }

    @Test
    void theSetUpCommandsStayInTheReadme() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        assertTrue(lines.contains("mvn -B -ntp -Pdemo -DskipTests package"), "demo command missing");
        assertTrue(lines.contains("mvn -B -ntp verify"), "test command missing");
    }

    @TestFactory
    Stream<DynamicTest> everySnippetRuns() {
        Map<Method, String> methods = new TreeMap<>(Comparator.comparing(Method::toString));
        runners().forEach((name, method) -> methods.merge(method, name, (a, b) -> a + ", " + b));
        return methods.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getValue(), () -> run(e.getKey())));
    }

    private static void run(Method method) throws Throwable {
        Path cwd = Path.of("").toAbsolutePath();
        if (!cwd.getFileName().toString().equals("snippets-run")) {
            fail("snippets run in examples/target/snippets-run (surefire's workingDirectory), not in " + cwd);
        }
        clean(cwd);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                try {
                    method.invoke(null);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        } finally {
            clean(cwd);
        }
    }

    private static void clean(Path dir) throws IOException {
        // Deepest first: snippets may create directories (Flyway's db/migration).
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> !p.equals(dir)).sorted(Comparator.reverseOrder())
                    .collect(Collectors.toList())) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Snippet name to the method that runs it, from every class of the snippet package. */
    private static Map<String, Method> runners() {
        Map<String, Method> runners = new TreeMap<>();
        List<String> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .forEach(n -> classes.add(PACKAGE + "." + n.substring(0, n.length() - 5)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String name : classes) {
            Class<?> type;
            try {
                type = Class.forName(name);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            for (Method m : type.getDeclaredMethods()) {
                Snippet snippet = m.getAnnotation(Snippet.class);
                if (snippet == null) {
                    continue;
                }
                if (!Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0) {
                    throw new IllegalStateException(m + ": @Snippet methods are static and take no arguments");
                }
                m.setAccessible(true);
                for (String s : snippet.value()) {
                    if (runners.put(s, m) != null) {
                        throw new IllegalStateException("two @Snippet methods run " + s);
                    }
                }
            }
        }
        return runners;
    }
}
