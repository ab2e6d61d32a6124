package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named parameters from maps, records and beans; rows to records and mappers. */
class CodecParametersTest {
    record Account(long id, String userName, BigDecimal balance, LocalDate openedOn, Optional<UUID> ref) {
    }

    record AccountRow(long id, String userName, BigDecimal balance, LocalDate openedOn, Optional<UUID> ref,
            boolean active) {
    }

    record Partial(String user_name, long ID) {
    }

    record WithPrimitive(int missing) {
    }

    record Checked(long id) {
        Checked {
            if (id < 0) {
                throw new IllegalStateException("negative id " + id);
            }
        }
    }

    public static final class Bean {
        public long getId() {
            return 7;
        }

        public String getUserName() {
            return "bean";
        }

        public boolean isActive() {
            return true;
        }
    }

    @TempDir
    Path dir;
    AsyncConnection connection;
    BlockingConnection db;

    @BeforeEach
    void open() {
        connection = AsyncConnection.open(dir.resolve("p.db").toString()).join();
        db = connection.blocking();
        db.execute("CREATE TABLE account(id INTEGER PRIMARY KEY, user_name TEXT, balance DECIMAL TEXT,"
                + " opened_on DATE, ref UUID, active BOOLEAN NOT NULL DEFAULT 1)");
    }

    @AfterEach
    void close() {
        connection.close();
    }

    @Test
    void bindsNamedParametersFromMapsRecordsAndBeans() {
        UUID ref = UUID.randomUUID();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", 1);
        m.put("user_name", "ann");
        m.put(":balance", new BigDecimal("10.50"));
        m.put("opened", LocalDate.of(2024, 1, 1));
        m.put("ref", ref);
        db.execute("INSERT INTO account(id, user_name, balance, opened_on, ref) VALUES (:id, @user_name, :balance,"
                + " $opened, :ref)", m);
        db.execute("INSERT INTO account(id, user_name, balance, opened_on, ref) VALUES (:id, :user_name, :balance,"
                + " :opened_on, :ref)", new Account(2, "bob", BigDecimal.ONE, LocalDate.of(2024, 2, 2),
                Optional.empty()));
        db.execute("INSERT INTO account(id, user_name, active) VALUES (:id, :user_name, :active)", new Bean());
        db.executeMany("UPDATE account SET balance = :b WHERE id = :id",
                List.of(Map.of("b", new BigDecimal("0.01"), "id", 2), Map.of("b", new BigDecimal("3"), "id", 7)));

        List<AccountRow> rows = db.fetchAll("SELECT * FROM account ORDER BY id", AccountRow.class);
        assertThat(rows).containsExactly(
                new AccountRow(1, "ann", new BigDecimal("10.50"), LocalDate.of(2024, 1, 1), Optional.of(ref), true),
                new AccountRow(2, "bob", new BigDecimal("0.01"), LocalDate.of(2024, 2, 2), Optional.empty(), true),
                new AccountRow(7, "bean", new BigDecimal("3"), null, Optional.empty(), true));
        assertThat(db.fetchOne("SELECT id, user_name FROM account WHERE user_name = :n", Partial.class,
                Map.of("n", "bob"))).isEqualTo(new Partial("bob", 2));
        assertThat(db.fetchOne("SELECT * FROM account WHERE id = :id AND :id > 0", Account.class, Map.of("id", 1))
                .ref()).contains(ref);
        assertThat(db.fetchAll("SELECT opened_on FROM account WHERE opened_on IS NOT NULL ORDER BY id",
                LocalDate.class)).containsExactly(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 2, 2));
        assertThat(db.fetchAll("SELECT id, user_name FROM account ORDER BY id", r -> r.getString(1) + r.getLong(0)))
                .containsExactly("ann1", "bob2", "bean7");
        assertThat(db.fetchOne("SELECT ?2 || ?1", "a", "b").get(0)).isEqualTo("ba");
        assertThat(db.fetchOne("SELECT * FROM account WHERE id = 1").as(AccountRow.class).userName()).isEqualTo("ann");
        assertThat(db.fetchOne("SELECT count(*) FROM account", long.class)).isEqualTo(3L);
        assertThat(db.fetchOne("SELECT max(opened_on) AS \"d [date]\" FROM account").get("d"))
                .isEqualTo(LocalDate.of(2024, 2, 2));
        assertThat(connection.fetchAll("SELECT id FROM account", Long.class).join()).hasSize(3);
        assertThat(db.fetchOne("SELECT ':id', :id", Map.of("id", 5)).get(1)).isEqualTo(5L);
    }

    @Test
    void missingUnusedAndMixedNamesFailListingThem() {
        assertThatThrownBy(() -> db.execute("INSERT INTO account(id, user_name) VALUES (:id, :name)", Map.of("id", 1)))
                .isInstanceOf(SqliteException.class).hasMessageContaining("missing from the map: :name")
                .hasMessageContaining("[:id, :name]");
        assertThatThrownBy(() -> db.execute("INSERT INTO account(id) VALUES (:id)", Map.of("id", 1, "idd", 2,
                "x", 3))).isInstanceOf(SqliteException.class).hasMessageContaining("match no parameter")
                .hasMessageContaining("idd").hasMessageContaining("x");
        assertThatThrownBy(() -> db.execute("INSERT INTO account(id, user_name) VALUES (:id, :nick)",
                new Account(1, "a", null, null, Optional.empty()))).isInstanceOf(SqliteException.class)
                .hasMessageContaining("missing from " + Account.class.getName() + ": :nick");
        assertThatThrownBy(() -> db.execute("INSERT INTO account(id, user_name) VALUES (?, :name)", Map.of("name", 1)))
                .isInstanceOf(SqliteException.class).hasMessageContaining("mixes positional");
        assertThatThrownBy(() -> db.executeMany("INSERT INTO account(id) VALUES (:id)",
                List.of(Map.of("id", 1), Map.of("ID", 2)))).isInstanceOf(SqliteException.class)
                .hasMessageContaining("parameter set 1").hasMessageContaining(":id");
        assertThat(db.fetchOne("SELECT count(*) FROM account").getLong(0)).isZero();
        assertThatThrownBy(() -> db.execute("INSERT INTO account(id, user_name) VALUES (:id, :n)",
                Map.of("id", 1, "n", new StringBuilder("x")))).isInstanceOf(SqliteException.class)
                .hasMessageContaining("parameter 2 (:n)").hasMessageContaining("java.lang.StringBuilder");
    }

    @Test
    void rowsThatDoNotMapFailClearly() {
        db.execute("INSERT INTO account(id, user_name, opened_on) VALUES (1, 'a', 'soon'), (-2, 'b', NULL)");
        assertThatThrownBy(() -> db.fetchAll("SELECT id FROM account", WithPrimitive.class))
                .isInstanceOf(SqliteException.class).hasMessageContaining("no column for missing")
                .hasMessageContaining("[id]");
        assertThatThrownBy(() -> db.fetchAll("SELECT NULL AS missing", WithPrimitive.class))
                .hasMessageContaining("is NULL").hasMessageContaining("int");
        assertThatThrownBy(() -> db.fetchAll("SELECT * FROM account WHERE id = 1", AccountRow.class))
                .isInstanceOf(SqliteException.class).hasMessageContaining("opened_on")
                .hasMessageContaining("'soon'").hasMessageContaining("java.time.LocalDate");
        assertThatThrownBy(() -> db.fetchAll("SELECT id FROM account", Checked.class))
                .hasMessageContaining("negative id -2");
        assertThatThrownBy(() -> db.fetchAll("SELECT id, user_name FROM account", LocalDateTime.class))
                .hasMessageContaining("exactly one column");
    }
}
