package io.sqliteasync.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps the Java code blocks of README.md and docs/*.md identical to regions of compiled source files.
 *
 * <p>In a source file a snippet is the text between a line {@code // snippet:NAME} and the next line
 * {@code // end-snippet}. Several regions with the same name (say the imports and the body) form one snippet, in
 * file order, separated by an empty line. In Markdown, every {@code ```java} block must be preceded (blank lines
 * aside) by {@code <!-- snippet: NAME -->}. Blocks and regions are compared after removing their common indentation;
 * {@link #sync} rewrites the blocks from the sources, keeping each block's own indentation.
 *
 * <p>To regenerate the Markdown after editing a snippet source, run
 * {@code mvn -B -ntp -pl examples -am verify -Dtest=DocSnippetsTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsnippets.update=true}, or run {@link #main} from the repository root.
 */
public final class SnippetDocs {
    private static final Pattern REGION_START = Pattern.compile("^\\s*// snippet:([A-Za-z0-9_.-]+)\\s*$");
    private static final Pattern REGION_END = Pattern.compile("^\\s*// end-snippet\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!-- snippet: ([A-Za-z0-9_.-]+) -->\\s*$");
    private static final Pattern FENCE = Pattern.compile("^(\\s*)```(.*)$");

    private SnippetDocs() {
    }

    /** One fenced code block of a Markdown file. */
    public record Block(Path file, int openLine, int closeLine, String language, String indent, String snippet,
            String text) {
        /**
         * Where the block starts, for messages.
         *
         * @return file:line
         */
        public String where() {
            return file.getFileName() + ":" + (openLine + 1);
        }
    }

    /**
     * The Markdown files whose Java blocks are checked: README.md and docs/*.md.
     *
     * @param root the repository root
     * @return the files
     */
    public static List<Path> markdownFiles(Path root) {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * Reads every snippet region below a source directory.
     *
     * @param sources the directory of snippet sources
     * @return snippet name to its text (common indentation removed), in name order of first appearance
     */
    public static Map<String, String> regions(Path sources) {
        return regions(sources, List.of());
    }

    /**
     * Reads every snippet region below a source directory and below further directories (code compiled and run
     * elsewhere, such as the example Spring Boot application).
     *
     * @param sources the directory of snippet sources
     * @param external further directories
     * @return snippet name to its text (common indentation removed), in name order of first appearance
     */
    public static Map<String, String> regions(Path sources, List<Path> external) {
        Map<String, List<String>> parts = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        for (Path dir : concat(sources, external)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Path file : files) {
            List<String> lines = read(file);
            String open = null;
            List<String> body = null;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                Matcher start = REGION_START.matcher(line);
                if (start.matches()) {
                    if (open != null) {
                        throw new IllegalStateException(file + ":" + (i + 1) + ": snippet " + start.group(1)
                                + " starts inside snippet " + open);
                    }
                    open = start.group(1);
                    body = new ArrayList<>();
                } else if (REGION_END.matcher(line).matches()) {
                    if (open == null) {
                        throw new IllegalStateException(file + ":" + (i + 1) + ": end-snippet without a start");
                    }
                    parts.computeIfAbsent(open, k -> new ArrayList<>()).add(normalize(body));
                    open = null;
                } else if (open != null) {
                    body.add(line);
                }
            }
            if (open != null) {
                throw new IllegalStateException(file + ": snippet " + open + " has no end-snippet");
            }
        }
        Map<String, String> result = new LinkedHashMap<>();
        parts.forEach((name, texts) -> result.put(name, String.join("\n\n", texts)));
        return result;
    }

    /**
     * Reads every fenced code block of a Markdown file, with the snippet marker that precedes it, if any.
     *
     * @param file the Markdown file
     * @return the blocks, in order
     */
    public static List<Block> blocks(Path file) {
        List<String> lines = read(file);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            String indent = open.group(1);
            String language = open.group(2).trim();
            int close = i + 1;
            while (close < lines.size() && !lines.get(close).trim().equals("```")) {
                close++;
            }
            if (close == lines.size()) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": code block never closed");
            }
            String snippet = null;
            int prev = i - 1;
            while (prev >= 0 && lines.get(prev).isBlank()) {
                prev--;
            }
            if (prev >= 0) {
                Matcher marker = MARKER.matcher(lines.get(prev));
                if (marker.matches()) {
                    snippet = marker.group(1);
                }
            }
            blocks.add(new Block(file, i, close, language, indent, snippet,
                    normalize(lines.subList(i + 1, close))));
            i = close;
        }
        return blocks;
    }

    /**
     * Everything wrong with the Java blocks of the given files: unmarked blocks, unknown snippets, differences.
     *
     * @param markdown the Markdown files
     * @param regions the snippet regions
     * @return one message per problem; empty when all agree
     */
    public static List<String> problems(List<Path> markdown, Map<String, String> regions) {
        List<String> problems = new ArrayList<>();
        for (Path file : markdown) {
            for (Block block : blocks(file)) {
                if (block.snippet() != null && !block.language().equals("java")) {
                    problems.add(block.where() + ": a snippet marker precedes a ```" + block.language()
                            + " block; snippets are Java");
                    continue;
                }
                if (!block.language().equals("java")) {
                    continue;
                }
                if (block.snippet() == null) {
                    problems.add(block.where() + ": ```java block without a <!-- snippet: NAME --> marker; put the"
                            + " code in a source file under examples/src/test/java/io/sqliteasync/examples/docs"
                            + " between // snippet:NAME and // end-snippet");
                    continue;
                }
                String expected = regions.get(block.snippet());
                if (expected == null) {
                    problems.add(block.where() + ": no source region named " + block.snippet());
                } else if (!expected.equals(block.text())) {
                    problems.add(block.where() + ": snippet " + block.snippet() + " differs from its source."
                            + " Expected block:\n<!-- snippet: " + block.snippet() + " -->\n```java\n" + expected
                            + "\n```\n(run with -Dsnippets.update=true to rewrite the Markdown)");
                }
            }
        }
        return problems;
    }

    /**
     * The snippet names that some Markdown file shows.
     *
     * @param markdown the Markdown files
     * @return the names
     */
    public static List<String> shown(List<Path> markdown) {
        return markdown.stream().flatMap(f -> blocks(f).stream()).map(Block::snippet)
                .filter(s -> s != null).collect(Collectors.toList());
    }

    /**
     * Rewrites every marked Java block from its source region.
     *
     * @param markdown the Markdown files
     * @param regions the snippet regions
     * @return the files changed
     */
    public static List<Path> sync(List<Path> markdown, Map<String, String> regions) {
        List<Path> changed = new ArrayList<>();
        for (Path file : markdown) {
            List<String> lines = read(file);
            List<Block> blocks = blocks(file);
            boolean dirty = false;
            for (int b = blocks.size() - 1; b >= 0; b--) {
                Block block = blocks.get(b);
                String text = block.snippet() == null || !block.language().equals("java") ? null
                        : regions.get(block.snippet());
                if (text == null || text.equals(block.text())) {
                    continue;
                }
                List<String> replacement = new ArrayList<>();
                for (String line : text.split("\n", -1)) {
                    replacement.add(line.isEmpty() ? "" : block.indent() + line);
                }
                lines.subList(block.openLine() + 1, block.closeLine()).clear();
                lines.addAll(block.openLine() + 1, replacement);
                dirty = true;
            }
            if (dirty) {
                try {
                    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                changed.add(file);
            }
        }
        return changed;
    }

    private static List<Path> concat(Path first, List<Path> rest) {
        List<Path> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /**
     * Directories from a {@link java.io.File#pathSeparator}-separated list; empty entries are ignored.
     *
     * @param list the list, may be empty
     * @return the directories
     */
    public static List<Path> paths(String list) {
        List<Path> paths = new ArrayList<>();
        for (String p : list.split(java.io.File.pathSeparator)) {
            if (!p.isBlank()) {
                paths.add(Path.of(p).toAbsolutePath().normalize());
            }
        }
        return paths;
    }

    /**
     * Rewrites README.md and docs/*.md from the snippet sources.
     *
     * @param args optional: the repository root (default: the working directory)
     */
    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path sources = root.resolve("examples/src/test/java/io/sqliteasync/examples/docs");
        List<Path> external = List.of(root.resolve("spring-tests-shared/src/main/java"));
        List<Path> changed = sync(markdownFiles(root), regions(sources, external));
        System.out.println(changed.isEmpty() ? "all snippets up to date" : "rewrote " + changed);
    }

    /** Removes the common indentation, trailing spaces, and blank lines at either end. */
    static String normalize(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            out.add(line.stripTrailing());
        }
        while (!out.isEmpty() && out.get(0).isEmpty()) {
            out.remove(0);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        int common = Integer.MAX_VALUE;
        for (String line : out) {
            if (!line.isEmpty()) {
                common = Math.min(common, line.length() - line.stripLeading().length());
            }
        }
        if (common == Integer.MAX_VALUE) {
            common = 0;
        }
        List<String> result = new ArrayList<>();
        for (String line : out) {
            result.add(line.isEmpty() ? "" : line.substring(common));
        }
        return String.join("\n", result);
    }

    private static List<String> read(Path file) {
        try {
            return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
