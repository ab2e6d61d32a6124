package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every call on every client kind is reported to the listeners, once, in order, with its outcome and rows. */
class CallListenerIT {
    static final String ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
            + " SELECT count(*) FROM c";

    @TempDir
    Path dir;

    /** Records each callback, checks their order per call, and keeps the ended calls. */
    static final class Recorder implements CallListener {
        final List<CallEvent> ended = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final List<String> startThreads = new CopyOnWriteArrayList<>();
        volatile CountDownLatch started = new CountDownLatch(0);

        @Override
        public Object onSubmit(CallEvent call) {
            if (call.started() || call.outcome() != null) {
                problems.add("submit after start or end: " + call);
            }
            return new int[] {0};
        }

        @Override
        public void onStart(CallEvent call, Object context) {
            int[] state = (int[]) context;
            if (state[0] != 0 || call.startedNanos() - call.submittedNanos() < 0) {
                problems.add("start out of order: " + call);
            }
            state[0] = 1;
            startThreads.add(Thread.currentThread().getName());
            started.countDown();
        }

        @Override
        public void onEnd(CallEvent call, Object context) {
            int[] state = (int[]) context;
            if (state[0] == 2 || (call.started() && state[0] != 1) || call.outcome() == null
                    || call.waitNanos() < 0 || call.runNanos() < 0) {
                problems.add("end out of order: " + call);
            }
            state[0] = 2;
            ended.add(call);
        }

        long count(CallEvent.Kind kind, CallEvent.Outcome outcome) {
            return ended.stream().filter(e -> e.kind() == kind && e.outcome() == outcome).count();
        }
    }

    @Test
    void aConnectionReportsEachCallKindWithItsOutcomeRowsAndRole() throws Exception {
        Recorder r = new Recorder();
        ConnectionOptions options = ConnectionOptions.builder(dir.resolve("c.db").toString()).listener(r).build();
        try (AsyncConnection c = AsyncConnection.open(options).join()) {
            c.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)").join();
            for (int i = 0; i < 10; i++) {
                c.execute("INSERT INTO t (v) VALUES (?)", "v" + i).join();
            }
            c.executeMany("INSERT INTO t (v) VALUES (?)", List.of(new Object[] {"a"}, new Object[] {"b"})).join();
            assertThat(c.fetchAll("SELECT * FROM t").join()).hasSize(12);
            assertThat(c.fetchOne("SELECT * FROM t WHERE v = 'a'").join()).isNotNull();
            assertThatThrownBy(() -> c.execute("INSERT INTO t (v) VALUES ('a')").join())
                    .hasCauseInstanceOf(SqliteConstraintException.class);
            try (Cursor cursor = c.cursor("SELECT * FROM t ORDER BY id").join()) {
                assertThat(cursor.fetchMany(5).join()).hasSize(5);
                assertThat(cursor.fetchAll().join()).hasSize(7);
            }
            assertThat(collect(c.stream("SELECT * FROM t"))).hasSize(12);
            c.transaction(tx -> tx.execute("DELETE FROM t WHERE v = 'b'")).join();
            Transaction tx = c.begin().join();
            tx.execute("DELETE FROM t WHERE v = 'a'").join();
            tx.rollback().join();
            assertThat(c.blocking().fetchOne("SELECT count(*) FROM t").getLong(0)).isEqualTo(11);
        }

        assertThat(r.problems).isEmpty();
        assertThat(r.ended).allSatisfy(e -> assertThat(e.role()).isEqualTo(CallEvent.Role.CONNECTION));
        assertThat(r.count(CallEvent.Kind.EXECUTE_SCRIPT, CallEvent.Outcome.SUCCESS)).isEqualTo(1);
        assertThat(r.count(CallEvent.Kind.EXECUTE, CallEvent.Outcome.SUCCESS)).isEqualTo(12);
        assertThat(r.count(CallEvent.Kind.EXECUTE, CallEvent.Outcome.CONSTRAINT)).isEqualTo(1);
        assertThat(r.count(CallEvent.Kind.EXECUTE_MANY, CallEvent.Outcome.SUCCESS)).isEqualTo(1);
        assertThat(r.count(CallEvent.Kind.FETCH, CallEvent.Outcome.SUCCESS)).isEqualTo(3);
        assertThat(r.count(CallEvent.Kind.CURSOR, CallEvent.Outcome.SUCCESS)).isEqualTo(1);
        assertThat(r.count(CallEvent.Kind.CURSOR_FETCH, CallEvent.Outcome.SUCCESS)).isEqualTo(2);
        assertThat(r.count(CallEvent.Kind.STREAM, CallEvent.Outcome.SUCCESS)).isEqualTo(1);
        assertThat(r.count(CallEvent.Kind.BEGIN, CallEvent.Outcome.SUCCESS)).isEqualTo(2);
        assertThat(r.count(CallEvent.Kind.COMMIT, CallEvent.Outcome.SUCCESS)).isEqualTo(1);
        assertThat(r.count(CallEvent.Kind.ROLLBACK, CallEvent.Outcome.SUCCESS)).isEqualTo(1);
        assertThat(rows(r, CallEvent.Kind.FETCH)).containsExactly(12L, 1L, 1L);
        assertThat(rows(r, CallEvent.Kind.CURSOR_FETCH)).containsExactly(5L, 7L);
        assertThat(rows(r, CallEvent.Kind.STREAM)).containsExactly(12L);
        CallEvent failed = r.ended.stream().filter(e -> e.outcome() == CallEvent.Outcome.CONSTRAINT).findFirst()
                .orElseThrow();
        assertThat(failed.error()).isInstanceOf(SqliteConstraintException.class);
        assertThat(failed.sql()).isEqualTo("INSERT INTO t (v) VALUES ('a')");
        assertThat(r.startThreads).allSatisfy(t -> assertThat(t).startsWith("sqlite-async-connection-"));
    }

    @Test
    void aDatabaseReportsWritesOnTheWriterAndReadsOnReadersCancelledTimedOutAndClosedCalls() throws Exception {
        Recorder r = new Recorder();
        Database db = Database.open(DatabaseOptions.builder(dir.resolve("d.db").toString()).readers(2).build())
                .join();
        db.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)").join();
        db.addListener(r);
        db.execute("INSERT INTO t (v) VALUES ('x')").join();
        assertThat(db.fetchAll("SELECT * FROM t").join()).hasSize(1);
        db.read(s -> s.fetchOne("SELECT count(*) FROM t")).join();
        db.transaction(tx -> tx.execute("INSERT INTO t (v) VALUES ('y')")).join();

        r.started = new CountDownLatch(1);
        CompletableFuture<Row> endless = db.fetchOne(ENDLESS);
        assertThat(r.started.await(10, TimeUnit.SECONDS)).isTrue();
        endless.cancel(true);
        assertThatThrownBy(() -> Deadline.within(Duration.ofMillis(50), () -> db.fetchOne(ENDLESS)).join())
                .hasCauseInstanceOf(SqliteTimeoutException.class);
        db.close();
        assertThatThrownBy(() -> db.execute("INSERT INTO t (v) VALUES ('z')").join())
                .hasCauseInstanceOf(SqliteClosedException.class);

        assertThat(r.problems).isEmpty();
        List<String> seen = new ArrayList<>();
        for (CallEvent e : r.ended) {
            seen.add(e.kind().tag() + "/" + e.role().tag() + "/" + e.outcome().tag());
        }
        assertThat(seen).containsExactlyInAnyOrder(
                "execute/writer/success",
                "fetch/reader/success",
                "begin/reader/success", "fetch/reader/success",
                "begin/writer/success", "execute/writer/success", "commit/writer/success",
                "fetch/reader/cancelled",
                "fetch/reader/timeout",
                "execute/writer/closed");
        CallEvent closed = r.ended.get(r.ended.size() - 1);
        assertThat(closed.started()).isFalse();
        assertThat(closed.runNanos()).isZero();
    }

    @Test
    void aListenerThatThrowsNeverFailsACallAndEachOfTwoListenersGetsItsOwnContext() {
        AtomicInteger thrown = new AtomicInteger();
        CallListener broken = new CallListener() {
            @Override
            public Object onSubmit(CallEvent call) {
                thrown.incrementAndGet();
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void onStart(CallEvent call, Object context) {
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void onEnd(CallEvent call, Object context) {
                throw new IllegalStateException("broken listener");
            }
        };
        Recorder r = new Recorder();
        try (AsyncConnection c = AsyncConnection.open(dir.resolve("b.db").toString()).join()) {
            c.addListener(broken);
            c.addListener(r);
            c.execute("CREATE TABLE t (v)").join();
            assertThat(c.fetchAll("SELECT * FROM t").join()).isEmpty();
            assertThat(c.removeListener(broken)).isTrue();
            assertThat(c.removeListener(r)).isTrue();
            c.execute("INSERT INTO t VALUES (1)").join();
        }
        assertThat(thrown).hasValue(2);
        assertThat(r.problems).isEmpty();
        assertThat(r.ended).extracting(CallEvent::kind).containsExactly(CallEvent.Kind.EXECUTE, CallEvent.Kind.FETCH);
    }

    @Test
    void aCancelledStreamEndsOnceAsCancelledWithTheRowsDelivered() throws Exception {
        Recorder r = new Recorder();
        try (Database db = Database.open(DatabaseOptions.builder(dir.resolve("s.db").toString()).listener(r)
                .build()).join()) {
            db.executeScript("CREATE TABLE t (v); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100) INSERT INTO t SELECT x FROM c").join();
            CountDownLatch three = new CountDownLatch(3);
            db.stream("SELECT v FROM t").subscribe(new Flow.Subscriber<Row>() {
                Flow.Subscription s;

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    this.s = s;
                    s.request(3);
                }

                @Override
                public void onNext(Row item) {
                    three.countDown();
                    if (three.getCount() == 0) {
                        s.cancel();
                        s.cancel();
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onComplete() {
                }
            });
            assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(r.problems).isEmpty();
        List<CallEvent> streams = r.ended.stream().filter(e -> e.kind() == CallEvent.Kind.STREAM).toList();
        assertThat(streams).hasSize(1);
        assertThat(streams.get(0).outcome()).isEqualTo(CallEvent.Outcome.CANCELLED);
        assertThat(streams.get(0).error()).isInstanceOf(CancellationException.class);
        assertThat(streams.get(0).rows()).isEqualTo(3);
        assertThat(streams.get(0).role()).isEqualTo(CallEvent.Role.READER);
        assertThat(streams.get(0).started()).isTrue();
    }

    private static List<Long> rows(Recorder r, CallEvent.Kind kind) {
        return r.ended.stream().filter(e -> e.kind() == kind).map(CallEvent::rows).toList();
    }

    static List<Row> collect(Flow.Publisher<Row> p) {
        CompletableFuture<List<Row>> done = new CompletableFuture<>();
        List<Row> rows = new ArrayList<>();
        p.subscribe(new Flow.Subscriber<Row>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Row item) {
                rows.add(item);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(rows);
            }
        });
        return done.join();
    }
}
