package io.sqliteasync.spring.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.data.relational.core.query.Criteria.where;

import io.r2dbc.spi.ConnectionFactory;
import io.sqliteasync.r2dbc.spring.SqliteDialect;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.r2dbc.dialect.DialectResolver;
import org.springframework.data.relational.core.query.Query;
import org.springframework.data.relational.core.query.Update;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.binding.BindMarkersFactoryResolver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A Boot application with nothing SQLite-specific but the driver on the class path and the URL: Spring Data R2DBC
 * repositories, the entity template, transactions and types, all on one application context.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "spring.sql.init.mode=always",
        "spring.flyway.enabled=false"})
@DirtiesContext
class SpringDataR2dbcIT {
    static final Duration T = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        // An absolute path: four slashes.
        registry.add("spring.r2dbc.url", () -> "r2dbc:sqlite:///" + dir.resolve("app.db").toAbsolutePath());
    }

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    PersonRepository people;
    @Autowired
    R2dbcEntityTemplate template;
    @Autowired
    DatabaseClient client;
    @Autowired
    TransferService transfers;
    @Autowired
    TransactionalOperator tx;

    @BeforeEach
    void empty() {
        client.sql("DELETE FROM person").then().then(client.sql("DELETE FROM event").then()).block(T);
    }

    @Test
    void springFindsTheDialectAndTheBindMarkersFromTheDriverAlone() {
        assertThat(DialectResolver.getDialect(connectionFactory)).isInstanceOf(SqliteDialect.class);
        assertThat(BindMarkersFactoryResolver.resolve(connectionFactory).create().next().getPlaceholder())
                .isEqualTo("?1");
        assertThat(connectionFactory.getMetadata().getName()).isEqualTo("SQLite");
    }

    @Test
    void repositoryCrudAndDerivedQueriesWork() {
        Person ada = people.save(Person.of("Ada", 36)).block(T);
        assertThat(ada.id()).isPositive();
        assertThat(ada.version()).isZero();
        people.saveAll(List.of(Person.of("Grace", 45), Person.of("Alan", 41), Person.of("Ada", 20))).blockLast(T);

        assertThat(people.count().block(T)).isEqualTo(4);
        assertThat(people.findById(ada.id()).block(T)).isEqualTo(ada);
        assertThat(people.findByName("Ada").map(Person::age).collectList().block(T)).containsExactlyInAnyOrder(36, 20);
        assertThat(people.countByAgeLessThan(40).block(T)).isEqualTo(2);
        assertThat(people.existsByName("Grace").block(T)).isTrue();
        assertThat(people.existsByName("Nobody").block(T)).isFalse();

        Person older = people.save(ada.withAge(37)).block(T);
        assertThat(older.version()).isEqualTo(1);
        assertThat(people.findById(ada.id()).map(Person::age).block(T)).isEqualTo(37);

        people.deleteById(ada.id()).block(T);
        assertThat(people.findById(ada.id()).blockOptional(T)).isEmpty();
    }

    @Test
    void pagingAndSortingRenderLimitAndOffset() {
        Flux.range(1, 25).concatMap(i -> people.save(Person.of(String.format("p%02d", i), i))).blockLast(T);

        assertThat(people.findByAgeGreaterThan(10, PageRequest.of(1, 5, Sort.by("age").descending()))
                .map(Person::age).collectList().block(T)).containsExactly(20, 19, 18, 17, 16);
        assertThat(people.findAll(Sort.by(Sort.Order.desc("name"))).take(2).map(Person::name).collectList()
                .block(T)).containsExactly("p25", "p24");
        assertThat(people.findByNameStartingWith("p1", Sort.by("name")).map(Person::name).collectList().block(T))
                .containsExactly("p10", "p11", "p12", "p13", "p14", "p15", "p16", "p17", "p18", "p19");
        // Offset without limit: LIMIT -1 OFFSET n.
        assertThat(template.select(Person.class).matching(Query.empty().sort(Sort.by("age")).offset(22)).all()
                .map(Person::age).collectList().block(T)).containsExactly(23, 24, 25);
    }

    @Test
    void queryAnnotationsBindNamedParametersIncludingOneUsedTwice() {
        people.saveAll(List.of(Person.of("Ada", 36), Person.of("Ada!", 30), Person.of("Alan", 41))).blockLast(T);

        assertThat(people.inAgeRange(30, 40).map(Person::name).collectList().block(T))
                .containsExactly("Ada!", "Ada");
        assertThat(people.older("Ada", 2).block(T)).isEqualTo(2);
        assertThat(people.findAll(Sort.by("name")).map(Person::age).collectList().block(T))
                .containsExactly(38, 32, 41);
    }

    @Test
    void theEntityTemplateSelectsUpdatesAndDeletesWithCriteria() {
        people.saveAll(List.of(Person.of("Ada", 36), Person.of("Grace", 45), Person.of("Alan", 41))).blockLast(T);

        assertThat(template.select(Person.class)
                .matching(Query.query(where("age").greaterThan(40).and("name").like("A%")))
                .all().map(Person::name).collectList().block(T)).containsExactly("Alan");
        assertThat(template.update(Person.class).matching(Query.query(where("name").in("Ada", "Grace")))
                .apply(Update.update("age", 50)).block(T)).isEqualTo(2);
        assertThat(template.count(Query.query(where("age").is(50)), Person.class).block(T)).isEqualTo(2);
        assertThat(template.delete(Person.class).matching(Query.query(where("name").isNull().or("age").is(41)))
                .all().block(T)).isEqualTo(1);
        assertThat(template.select(Person.class).matching(Query.empty().limit(1).sort(Sort.by("name")))
                .first().map(Person::name).block(T)).isEqualTo("Ada");
    }

    @Test
    void aStaleVersionFailsWithOptimisticLocking() {
        Person ada = people.save(Person.of("Ada", 36)).block(T);
        people.save(ada.withAge(37)).block(T);
        assertThatThrownBy(() -> people.save(ada.withAge(38)).block(T))
                .isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(people.findById(ada.id()).map(Person::age).block(T)).isEqualTo(37);
    }

    @Test
    void transactionalMethodsCommitOrRollBackAsAWhole() {
        transfers.saveBoth(Person.of("Ada", 1), Person.of("Grace", 2)).block(T);
        assertThat(people.count().block(T)).isEqualTo(2);

        assertThatThrownBy(() -> transfers.saveBothThenFail(Person.of("Alan", 3), Person.of("Edsger", 4)).block(T))
                .hasMessageContaining("refused after both saves");
        assertThat(people.findAll().map(Person::name).collectList().block(T)).containsExactlyInAnyOrder("Ada", "Grace");
    }

    @Test
    void aTransactionalOperatorCommitsOrRollsBack() {
        people.save(Person.of("Ada", 1)).then(people.save(Person.of("Grace", 2))).as(tx::transactional).block(T);
        assertThatThrownBy(() -> people.save(Person.of("Alan", 3))
                .then(Mono.error(new IllegalStateException("no")))
                .as(tx::transactional).block(T)).hasMessageContaining("no");
        Long seenInside = tx.transactional(people.save(Person.of("Edsger", 4)).then(people.count())).block(T);
        assertThat(seenInside).isEqualTo(3);
        assertThat(people.findAll().map(Person::name).collectList().block(T))
                .containsExactlyInAnyOrder("Ada", "Grace", "Edsger");
    }

    @Test
    void javaTimeEnumBooleanUuidAndBigDecimalRoundTripExactlyInANonUtcZone() {
        assertThat(ZoneId.systemDefault().getRules().getOffset(Instant.now())).isNotEqualTo(ZoneOffset.UTC);
        Instant at = Instant.parse("2024-03-31T01:30:00.123456789Z");
        OffsetDateTime offset = OffsetDateTime.of(2024, 3, 31, 7, 0, 0, 5_000, ZoneOffset.ofHoursMinutes(5, 30));
        ZonedDateTime zoned = ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 0, ZoneOffset.ofHours(-7));
        Event e = new Event(null, at, at, at, at, offset, offset, zoned,
                LocalDateTime.of(2024, 3, 31, 2, 30, 0, 1), LocalDateTime.of(1999, 12, 31, 23, 59, 59),
                LocalDate.of(2024, 2, 29), LocalDate.of(1, 1, 1), LocalTime.of(23, 59, 59, 999_999_999),
                Event.Color.GREEN, Boolean.TRUE, true,
                UUID.randomUUID(), UUID.randomUUID(),
                new BigDecimal("12.50"), new BigDecimal("-0.000000000000000000001"));
        Event saved = template.insert(e).block(T);
        Event read = template.select(Event.class).matching(Query.query(where("id").is(saved.id()))).one().block(T);

        assertThat(read).isEqualTo(new Event(saved.id(), e.atTimestamp(), e.atText(), e.atDatetime(), e.atInteger(),
                e.offsetTimestamp(), e.offsetText(), e.zonedTimestamp(), e.localTimestamp(), e.localText(), e.day(),
                e.dayText(), e.time(), e.color(), e.flag(), e.active(), e.uuid(), e.uuidText(), e.amount(),
                e.amountText()));
        // Instants are stored as UTC text, like datetime('now').
        assertThat(client.sql("SELECT at_text FROM event").map(r -> r.get(0, String.class)).one().block(T))
                .isEqualTo("2024-03-31 01:30:00.123456789");

        Event nulls = template.insert(new Event(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, false, null, null, null, null)).block(T);
        assertThat(template.select(Event.class).matching(Query.query(where("id").is(nulls.id()))).one().block(T))
                .isEqualTo(nulls);
    }

    @Test
    void valuesWrittenBySqlFunctionsReadAsUtc() {
        client.sql("INSERT INTO event (id, at_timestamp, at_text, active) VALUES (7, datetime(0, 'unixepoch'),"
                + " '1970-01-01 00:00:00', 1)").then().block(T);
        Event read = template.selectOne(Query.query(where("id").is(7L)), Event.class).block(T);
        assertThat(read.atTimestamp()).isEqualTo(Instant.EPOCH);
        assertThat(read.atText()).isEqualTo(Instant.EPOCH);
        assertThat(read.active()).isTrue();
    }

    @Test
    void aDuplicateKeyIsADuplicateKeyException() {
        Person ada = people.save(Person.of("Ada", 36)).block(T);
        assertThatThrownBy(() -> template.insert(new Person(ada.id(), "Grace", 45, null)).block(T))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void generatedValuesComeBackForQuotedAndPlainNames() {
        for (String column : List.of("id", "\"id\"", "\"ID\"")) {
            Long id = client.sql("INSERT INTO person (name, age) VALUES (:name, :age)")
                    .bind("name", column).bind("age", 1)
                    .filter(s -> s.returnGeneratedValues(column))
                    .map(row -> row.get(0, Long.class)).one().block(T);
            assertThat(id).as(column).isPositive();
        }
        assertThat(client.sql("INSERT INTO person (name, age) VALUES (?1, ?2)").bind(0, "x").bind(1, 2)
                .filter(s -> s.returnGeneratedValues()).map(row -> row.get("name", String.class)).one().block(T))
                .isEqualTo("x");
    }

    @Test
    void twoHundredConcurrentSavesAllLand() {
        List<Person> saved = Flux.range(0, 200)
                .flatMap(i -> people.save(Person.of("c" + i, i)), 200)
                .collectList().block(T);
        Set<Long> ids = saved.stream().map(Person::id).collect(Collectors.toSet());
        assertThat(ids).hasSize(200);
        assertThat(people.count().block(T)).isEqualTo(200);
    }
}
