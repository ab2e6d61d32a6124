package io.sqliteasync;

import static io.sqliteasync.DatabaseTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseBlockingIT {
    @TempDir
    Path dir;
    Database db;
    BlockingDatabase b;

    @BeforeEach
    void open() {
        db = await(Database.open(DatabaseOptions.builder(dir.resolve("k.db").toString()).readers(2)
                .acquireTimeout(Duration.ofMillis(300)).build()));
        b = db.blocking();
        b.executeScript("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void blockingTransactionCommitsRollsBackAndNests() {
        long id = b.transaction(tx -> {
            tx.execute("INSERT INTO t(v) VALUES ('a')");
            assertThatThrownBy(() -> tx.transaction(inner -> {
                inner.execute("INSERT INTO t(v) VALUES ('inner')");
                throw new IllegalArgumentException("undo inner");
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("undo inner");
            assertThat(tx.fetchOne("SELECT count(*) FROM t").getLong(0)).isEqualTo(1);
            return tx.execute("INSERT INTO t(v) VALUES ('b')").lastInsertRowid();
        });
        assertThat(id).isEqualTo(2);
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> b.transaction(tx -> {
            tx.execute("INSERT INTO t(v) VALUES ('c')");
            throw boom;
        })).isSameAs(boom);
        assertThat(b.fetchAll("SELECT v FROM t ORDER BY id")).extracting(r -> r.getString(0))
                .containsExactly("a", "b");
    }

    @Test
    void blockingReadSeesOneSnapshot() {
        b.execute("INSERT INTO t(v) VALUES ('a')");
        long[] seen = b.read(s -> {
            long first = s.fetchOne("SELECT count(*) FROM t").getLong(0);
            b.execute("INSERT INTO t(v) VALUES ('b')");
            return new long[] {first, s.fetchOne("SELECT count(*) FROM t").getLong(0)};
        });
        assertThat(seen).containsExactly(1L, 1L);
        assertThat(b.fetchOne("SELECT count(*) FROM t").getLong(0)).isEqualTo(2);
    }

    @Test
    void blockingAcquireTimeoutThrowsDirectly() {
        CompletableFuture<Void> hold = new CompletableFuture<>();
        CompletableFuture<Void> tx = db.transaction(t -> hold);
        assertThatThrownBy(() -> b.transaction(t -> t.execute("INSERT INTO t(v) VALUES ('x')")))
                .isInstanceOf(SqliteTimeoutException.class).hasMessageContaining("the writer");
        hold.complete(null);
        await(tx);
        b.transaction(t -> t.execute("INSERT INTO t(v) VALUES ('y')"));
        assertThat(b.fetchOne("SELECT count(*) FROM t").getLong(0)).isEqualTo(1);
    }

    @Test
    void cursorsAndStreamsRunOnReaders() throws Exception {
        List<Object[]> sets = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sets.add(new Object[] {"v" + i});
        }
        b.executeMany("INSERT INTO t(v) VALUES (?)", sets);
        try (Cursor c = await(db.cursor("SELECT v, (SELECT query_only FROM pragma_query_only) FROM t ORDER BY id"))) {
            List<Row> first = await(c.fetchMany(10));
            assertThat(first).hasSize(10);
            assertThat(first.get(0).getLong(1)).isEqualTo(1);
            assertThat(await(c.fetchAll())).hasSize(290);
        }
        CompletableFuture<Long> counted = new CompletableFuture<>();
        db.stream("SELECT v FROM t").subscribe(new Flow.Subscriber<Row>() {
            long n;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Row item) {
                n++;
            }

            @Override
            public void onError(Throwable t) {
                counted.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                counted.complete(n);
            }
        });
        assertThat(await(counted)).isEqualTo(300L);
    }
}
