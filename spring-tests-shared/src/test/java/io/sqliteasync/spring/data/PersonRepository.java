package io.sqliteasync.spring.data;

import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.repository.Modifying;
import org.springframework.data.r2dbc.repository.Query;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import org.springframework.data.repository.reactive.ReactiveSortingRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

interface PersonRepository extends ReactiveCrudRepository<Person, Long>, ReactiveSortingRepository<Person, Long> {
    Flux<Person> findByName(String name);

    Flux<Person> findByAgeGreaterThan(int age, Pageable page);

    Flux<Person> findByNameStartingWith(String prefix, Sort sort);

    Mono<Long> countByAgeLessThan(int age);

    Mono<Boolean> existsByName(String name);

    @Query("SELECT * FROM person WHERE age BETWEEN :low AND :high ORDER BY age, name")
    Flux<Person> inAgeRange(int low, int high);

    @Modifying
    @Query("UPDATE person SET age = age + :years WHERE name = :name OR name = :name || '!'")
    Mono<Integer> older(String name, int years);
}
