package io.sqliteasync.spring.example;

import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Writes notes. */
@Service
public class NoteService {
    private final NoteRepository notes;

    /**
     * The service.
     *
     * @param notes the repository
     */
    public NoteService(NoteRepository notes) {
        this.notes = notes;
    }

    /**
     * Saves one note.
     *
     * @param text the text
     * @return the saved note with its key
     */
    public Mono<Note> add(String text) {
        return notes.save(new Note(null, text, Instant.now()));
    }

    /**
     * Saves several notes in one transaction: all or none. A blank text fails the whole batch after the notes
     * before it were written, and they are rolled back.
     *
     * @param texts the texts
     * @return the saved notes
     */
    // snippet:spring-transactional
    @Transactional
    public Mono<List<Note>> addAll(List<String> texts) {
        return Flux.fromIterable(texts)
                .concatMap(t -> t.isBlank() ? Mono.error(new IllegalArgumentException("a note may not be blank"))
                        : add(t))
                .collectList();
    }
    // end-snippet
}
