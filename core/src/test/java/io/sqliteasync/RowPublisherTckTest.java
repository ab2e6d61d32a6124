package io.sqliteasync;

import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The official Reactive Streams TCK (publisher side) against {@link AsyncConnection#stream}, over a real SQLite
 * database. It is a TestNG class; surefire runs it on the JUnit Platform through the TestNG engine.
 *
 * <p>Surefire reports 7 skipped tests per class: they are the TCK's own {@code untested_*} placeholders (rules 1.6,
 * 1.7, 1.8, 1.9 subscribe-should-not-throw, 1.10, 3.4, 3.5) for which the TCK has no test; none is skipped by us.
 */
public class RowPublisherTckTest extends FlowPublisherVerification<Row> {
    /** Generous for a 2-core machine: each element is a round trip to the worker thread. */
    private static final long DEFAULT_TIMEOUT_MILLIS = 1000;
    private static final long NO_SIGNALS_TIMEOUT_MILLIS = 200;
    private static final long GC_TIMEOUT_MILLIS = 1000;

    /** Exactly {@code ?1} rows 1..n; lazy, so a huge n only costs the rows that are asked for. */
    private static final String N_ROWS = "WITH RECURSIVE c(x) AS (SELECT 1 WHERE ?1 > 0 "
            + "UNION ALL SELECT x + 1 FROM c WHERE x < ?1) SELECT x FROM c";

    private final int prefetch;
    private Path dir;
    private AsyncConnection db;
    private AsyncConnection closed;

    /** The TCK with the default prefetch. */
    public RowPublisherTckTest() {
        this(ConnectionOptions.builder("unused").build().prefetch());
    }

    /**
     * The TCK with a given prefetch.
     *
     * @param prefetch rows per round trip
     */
    protected RowPublisherTckTest(int prefetch) {
        super(new TestEnvironment(DEFAULT_TIMEOUT_MILLIS, NO_SIGNALS_TIMEOUT_MILLIS), GC_TIMEOUT_MILLIS);
        this.prefetch = prefetch;
    }

    @BeforeClass
    public void open() throws IOException {
        dir = Files.createTempDirectory("sqlite-async-tck");
        db = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("tck.db").toString())
                .prefetch(prefetch).build()).join();
        closed = AsyncConnection.open(ConnectionOptions.builder(dir.resolve("closed.db").toString())
                .prefetch(prefetch).build()).join();
        closed.close();
    }

    @AfterClass(alwaysRun = true)
    public void close() throws IOException {
        if (db != null) {
            db.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Override
    public Flow.Publisher<Row> createFlowPublisher(long elements) {
        return db.stream(N_ROWS, elements);
    }

    /**
     * A stream of a closed connection: the one state in which the publisher has failed before any demand. A query
     * that fails (a missing table, say) fails only when its cursor is opened, which is on the first request, and the
     * TCK's failed-publisher tests never request; {@link #queryThatFailsSignalsOnErrorOnTheFirstRequest} covers it.
     */
    @Override
    public Flow.Publisher<Row> createFailedFlowPublisher() {
        return closed.stream(N_ROWS, 3L);
    }

    @Test
    public void queryThatFailsSignalsOnErrorOnTheFirstRequest() throws Exception {
        Probe probe = new Probe();
        db.stream("SELECT * FROM no_such_table").subscribe(probe);
        Flow.Subscription s = probe.subscription.get(DEFAULT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        Thread.sleep(NO_SIGNALS_TIMEOUT_MILLIS);
        assertFalse(probe.error.isDone(), "no signal before a request");
        s.request(1);
        Throwable t = probe.error.get(DEFAULT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        assertTrue(t instanceof SqliteException, "a SqliteException, was " + t);
    }

    @Test
    public void closedConnectionSignalsOnErrorWithoutARequest() throws Exception {
        Probe probe = new Probe();
        closed.stream(N_ROWS, 3L).subscribe(probe);
        Throwable t = probe.error.get(DEFAULT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        assertTrue(probe.subscription.isDone(), "onSubscribe before onError");
        assertTrue(t instanceof SqliteClosedException, "a SqliteClosedException, was " + t);
    }

    /** Records onSubscribe and onError; any other signal fails the error future. */
    private static final class Probe implements Flow.Subscriber<Row> {
        final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
        final CompletableFuture<Throwable> error = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.complete(s);
        }

        @Override
        public void onNext(Row row) {
            error.completeExceptionally(new AssertionError("unexpected row " + row));
        }

        @Override
        public void onError(Throwable t) {
            error.complete(t);
        }

        @Override
        public void onComplete() {
            error.completeExceptionally(new AssertionError("unexpected onComplete"));
        }
    }
}
