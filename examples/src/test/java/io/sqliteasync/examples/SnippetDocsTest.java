package io.sqliteasync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker itself: it must catch unmarked and stale blocks, and sync must repair stale ones. */
class SnippetDocsTest {
    @TempDir
    Path dir;

    @Test
    void regionsJoinPartsAndDropCommonIndentation() throws IOException {
        Files.writeString(dir.resolve("A.java"), String.join("\n",
                "// snippet:one", "import x.Y;", "// end-snippet", "class A {", "    void f() {",
                "        // snippet:one", "        if (a) {", "            b();", "        }", "        // end-snippet",
                "    }", "}", ""));
        assertEquals(Map.of("one", "import x.Y;\n\nif (a) {\n    b();\n}"), SnippetDocs.regions(dir));
    }

    @Test
    void findsUnmarkedAndStaleBlocksAndSyncRepairsStaleOnes() throws IOException {
        Path md = dir.resolve("doc.md");
        Files.writeString(md, String.join("\n",
                "# Doc", "", "```", "mvn verify", "```", "", "```java", "unmarked();", "```", "",
                "* item:", "", "  <!-- snippet: s -->", "  ```java", "  old();", "  ```", ""));
        Map<String, String> regions = Map.of("s", "if (x) {\n    fresh();\n}");
        List<String> problems = SnippetDocs.problems(List.of(md), regions);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("doc.md:7") && problems.get(0).contains("without a"), problems.get(0));
        assertTrue(problems.get(1).contains("differs"), problems.get(1));

        assertEquals(List.of(md), SnippetDocs.sync(List.of(md), regions));
        assertTrue(Files.readString(md).contains("  ```java\n  if (x) {\n      fresh();\n  }\n  ```\n"));
        assertEquals(1, SnippetDocs.problems(List.of(md), regions).size());
    }
}
