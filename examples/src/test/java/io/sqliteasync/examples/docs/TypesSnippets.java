package io.sqliteasync.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.codec.CodecRegistry;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** docs/types.md: named parameters and a user codec. */
final class TypesSnippets {
    private TypesSnippets() {
    }

    record Account(long id, String userName) {}

    @Snippet("types-named-parameters")
    static void namedParameters() {
        Account account = new Account(2, "bob");
        List<Map<String, Object>> listOfMaps = List.of(Map.of("b", 10, "id", 1), Map.of("b", 20, "id", 2));
        try (AsyncConnection db = AsyncConnection.open("app.db").join()) {
            db.execute("CREATE TABLE account (id INTEGER PRIMARY KEY, user_name TEXT, balance INTEGER)").join();
            // snippet:types-named-parameters
            db.execute("INSERT INTO account(id, user_name) VALUES (:id, :user_name)", Map.of("id", 1, "user_name", "ann")).join();
            db.execute("INSERT INTO account(id, user_name) VALUES (:id, :user_name)", account).join(); // a record
            db.executeMany("UPDATE account SET balance = :b WHERE id = :id", listOfMaps).join();
            // end-snippet
            assertEquals(30, db.fetchOne("SELECT sum(balance) FROM account").join().getLong(0));
            assertEquals("bob", db.fetchOne("SELECT user_name FROM account WHERE id = 2").join().getString(0));
        }
    }

    @Snippet({"types-codec", "types-codec-use"})
    static void codec() {
        // snippet:types-codec-use
        CodecRegistry codecs = CodecRegistry.builder().add(new MoneyCodec()).build();
        ConnectionOptions options = ConnectionOptions.builder("app.db").codecs(codecs).build();
        try (AsyncConnection db = AsyncConnection.open(options).join()) {
            db.execute("CREATE TABLE price (item TEXT PRIMARY KEY, amount MONEY)").join();
            db.execute("INSERT INTO price VALUES (?, ?)", "tea", new Money(new BigDecimal("2.50"), "EUR")).join();
            Money tea = (Money) db.fetchOne("SELECT amount FROM price WHERE item = 'tea'").join().get(0);  // declared MONEY
            System.out.println(tea);
        }
        // end-snippet
        try (AsyncConnection db = AsyncConnection.open(options).join()) {
            assertEquals(new Money(new BigDecimal("2.50"), "EUR"), db.fetchOne("SELECT amount FROM price").join().get(0));
            assertEquals("2.50 EUR", db.fetchOne("SELECT amount FROM price").join().get(0, String.class));
        }
    }
}
