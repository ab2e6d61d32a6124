package io.sqliteasync.spring.example;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The HTTP API: {@code POST /notes}, {@code POST /notes/batch}, {@code GET /notes/{id}}, {@code GET /notes}. */
@RestController
public class NoteController {
    private final NoteRepository notes;
    private final NoteService service;

    /**
     * The controller.
     *
     * @param notes the repository
     * @param service the service
     */
    public NoteController(NoteRepository notes, NoteService service) {
        this.notes = notes;
        this.service = service;
    }

    /**
     * Adds a note; the body is its text.
     *
     * @param text the text
     * @return the note
     */
    @PostMapping(path = "/notes", consumes = MediaType.TEXT_PLAIN_VALUE)
    public Mono<Note> add(@RequestBody String text) {
        return service.add(text);
    }

    /**
     * Adds several notes, all or none; the body is one text per line.
     *
     * @param body the texts
     * @return the notes
     */
    @PostMapping(path = "/notes/batch", consumes = MediaType.TEXT_PLAIN_VALUE)
    public Mono<List<Note>> addAll(@RequestBody String body) {
        return service.addAll(List.of(body.split("\n", -1)));
    }

    /**
     * One note.
     *
     * @param id its key
     * @return the note, or 404
     */
    @GetMapping("/notes/{id}")
    public Mono<ResponseEntity<Note>> one(@PathVariable("id") long id) {
        return notes.findById(id).map(ResponseEntity::ok).defaultIfEmpty(ResponseEntity.notFound().build());
    }

    /**
     * Every note, streamed as newline-delimited JSON while SQLite steps the rows.
     *
     * @return the notes
     */
    // snippet:spring-streaming
    @GetMapping(path = "/notes", produces = MediaType.APPLICATION_NDJSON_VALUE)
    public Flux<Note> all() {
        return notes.findAllByOrderByIdAsc();
    }
    // end-snippet

    /**
     * A rejected batch is a 400.
     *
     * @param e the failure
     * @return its message
     */
    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<String> badRequest(IllegalArgumentException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(e.getMessage());
    }
}
