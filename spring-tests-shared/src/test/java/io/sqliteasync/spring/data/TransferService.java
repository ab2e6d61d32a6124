package io.sqliteasync.spring.data;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import reactor.core.publisher.Mono;

@Service
class TransferService {
    private final PersonRepository people;

    TransferService(PersonRepository people) {
        this.people = people;
    }

    @Transactional
    Mono<Void> saveBoth(Person a, Person b) {
        return people.save(a).then(people.save(b)).then();
    }

    @Transactional
    Mono<Void> saveBothThenFail(Person a, Person b) {
        return people.save(a).then(people.save(b))
                .then(Mono.error(new IllegalStateException("refused after both saves")));
    }
}
