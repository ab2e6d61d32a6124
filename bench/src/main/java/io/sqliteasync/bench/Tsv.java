package io.sqliteasync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Raw results pass between the benchmark programs and {@link Report} as tab-separated files with a header. */
final class Tsv {
    private Tsv() {
    }

    static void write(Path file, String header, List<String> lines) {
        List<String> all = new ArrayList<>();
        all.add(header);
        all.addAll(lines);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of a file, header removed, each split on tabs; empty when the file does not exist. */
    static List<String[]> read(Path file) {
        List<String[]> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        try {
            List<String> lines = Files.readAllLines(file);
            for (String l : lines.subList(1, lines.size())) {
                if (!l.isBlank()) {
                    rows.add(l.split("\t", -1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    static String row(Object... cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append('\t');
            }
            b.append(cells[i]);
        }
        return b.toString();
    }
}
