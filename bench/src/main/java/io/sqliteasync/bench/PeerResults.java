package io.sqliteasync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The peer figures of {@code bench/peer-results.md} (copied from the shared peer measurements). */
final class PeerResults {
    /**
     * One row of the peer table.
     *
     * @param library for example {@code apsw AsyncIO}
     * @param prefetch the batch size
     * @param wall seconds
     */
    record Peer(String library, int prefetch, double wall) {
    }

    private final List<String> text;
    private final List<Peer> peers = new ArrayList<>();

    PeerResults(Path file) throws IOException {
        this.text = Files.exists(file) ? Files.readAllLines(file) : List.of();
        for (String l : text) {
            String[] cells = l.split("\\|");
            if (cells.length >= 4 && cells[2].trim().matches("\\d+")) {
                peers.add(new Peer(cells[1].trim(), Integer.parseInt(cells[2].trim()),
                        Double.parseDouble(cells[3].trim())));
            }
        }
    }

    /** The peer file verbatim, its title line dropped, for inclusion in the report. */
    List<String> body() {
        return text.isEmpty() ? List.of() : text.subList(1, text.size());
    }

    /** The wall time of a library at a prefetch size, or {@code NaN} when the table has no such row. */
    double wall(String library, int prefetch) {
        for (Peer p : peers) {
            if (p.library().equals(library) && p.prefetch() == prefetch) {
                return p.wall();
            }
        }
        return Double.NaN;
    }
}
