package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing while calls, cursors, streams and transactions are pending leaves no future incomplete. */
class CloseWithPendingIT {
    @TempDir
    Path dir;

    /** Records onComplete or onError; requests {@code initial} rows, then waits for more demand from the test. */
    static final class Probe implements Flow.Subscriber<Row> {
        final CompletableFuture<Object> terminal = new CompletableFuture<>();
        final CompletableFuture<Void> gotFirst = new CompletableFuture<>();
        final long initial;
        volatile Flow.Subscription subscription;

        Probe(long initial) {
            this.initial = initial;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(initial);
        }

        @Override
        public void onNext(Row item) {
            gotFirst.complete(null);
        }

        @Override
        public void onError(Throwable t) {
            terminal.complete(t);
        }

        @Override
        public void onComplete() {
            terminal.complete("complete");
        }
    }

    @Test
    void closingAConnectionWithPendingWorkCompletesEveryFuture() throws Exception {
        AsyncConnection c = AsyncConnection.open(dir.resolve("a.db").toString()).join();
        c.execute("CREATE TABLE t(x)").join();
        c.executeMany("INSERT INTO t VALUES (?)", List.of(List.of(1), List.of(2), List.of(3), List.of(4))).join();
        Cursor open = c.cursor("SELECT x FROM t").join();
        Probe stalled = new Probe(1);
        c.stream("SELECT x FROM t").subscribe(stalled);
        stalled.gotFirst.get(10, TimeUnit.SECONDS);
        CompletableFuture<Object> gate = new CompletableFuture<>();
        c.run(conn -> gate.join());
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pending.add(c.execute("INSERT INTO t VALUES (?)", i));
            pending.add(c.fetchAll("SELECT * FROM t"));
        }
        pending.add(open.fetchOne());
        pending.add(c.cursor("SELECT x FROM t"));
        Probe late = new Probe(Long.MAX_VALUE);
        c.stream("SELECT x FROM t").subscribe(late);
        CompletableFuture<Void> closed = c.closeAsync();
        pending.add(c.execute("INSERT INTO t VALUES (-1)"));
        pending.add(open.fetchMany(2));
        stalled.subscription.request(Long.MAX_VALUE);
        gate.complete(null);
        closed.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<?> f : pending) {
            assertThat(f.handle((v, e) -> "done")).succeedsWithin(Duration.ofSeconds(10));
        }
        assertThat(stalled.terminal).succeedsWithin(Duration.ofSeconds(10));
        assertThat(late.terminal).succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void closingADatabaseWithPendingWorkCompletesEveryFuture() throws Exception {
        Database db = Database.open(DatabaseOptions.builder(dir.resolve("d.db").toString()).readers(2).build())
                .join();
        db.execute("CREATE TABLE t(x)").join();
        db.execute("INSERT INTO t VALUES (1), (2), (3), (4)").join();
        Cursor open = db.cursor("SELECT x FROM t").join();
        Probe stalled = new Probe(1);
        db.stream("SELECT x FROM t").subscribe(stalled);
        stalled.gotFirst.get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletableFuture<Transaction> holder = new CompletableFuture<>();
        CompletableFuture<Void> txn = db.transaction(tx -> {
            holder.complete(tx);
            return gate;
        });
        Transaction tx = holder.get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> readGate = new CompletableFuture<>();
        CompletableFuture<Long> read = db.read(s -> readGate.thenCompose(x -> s.fetchOne("SELECT count(*) FROM t"))
                .thenApply(r -> r.getLong(0)));
        List<CompletableFuture<?>> pending = new ArrayList<>();
        pending.add(txn);
        pending.add(read);
        for (int i = 0; i < 10; i++) {
            pending.add(db.execute("INSERT INTO t VALUES (?)", i));
            pending.add(db.fetchAll("SELECT * FROM t"));
            pending.add(db.transaction(t -> t.execute("INSERT INTO t VALUES (0)")));
        }
        pending.add(open.fetchOne());
        CompletableFuture<Void> closed = db.closeAsync();
        pending.add(db.execute("INSERT INTO t VALUES (-1)"));
        pending.add(db.cursor("SELECT 1"));
        pending.add(db.read(s -> s.fetchOne("SELECT 1")));
        pending.add(open.fetchMany(2));
        Probe late = new Probe(Long.MAX_VALUE);
        db.stream("SELECT x FROM t").subscribe(late);
        pending.add(tx.execute("INSERT INTO t VALUES (100)"));
        stalled.subscription.request(Long.MAX_VALUE);
        readGate.complete(null);
        gate.complete(null);
        closed.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<?> f : pending) {
            assertThat(f.handle((v, e) -> "done")).succeedsWithin(Duration.ofSeconds(10));
        }
        assertThat(stalled.terminal).succeedsWithin(Duration.ofSeconds(10));
        assertThat(late.terminal).succeedsWithin(Duration.ofSeconds(10));
    }
}
