package io.sqliteasync.spring.example;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

/** Notes, through Spring Data R2DBC. */
// snippet:spring-repository
public interface NoteRepository extends ReactiveCrudRepository<Note, Long> {
    /**
     * Every note, oldest first, streamed as SQLite steps the rows.
     *
     * @return the notes
     */
    Flux<Note> findAllByOrderByIdAsc();
}
// end-snippet
