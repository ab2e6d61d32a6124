package io.sqliteasync.spring.data;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

@Table("person")
record Person(@Id Long id, String name, int age, @Version Long version) {
    static Person of(String name, int age) {
        return new Person(null, name, age, null);
    }

    Person withAge(int newAge) {
        return new Person(id, name, newAge, version);
    }
}
