package io.sqliteasync.dqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.SqliteException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@code Database} and {@code AsyncConnection} do with a dqlite location that cannot work: every case fails
 * its future with a {@link SqliteException} that names the problem, within a bound, and leaves no call hanging.
 * Peers that misbehave are scripted with {@link FakeServer}; capability errors run on the shared cluster.
 */
@Timeout(180)
class DqliteEngineBadInputIT {
    private static SqliteException failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SqliteException.class);
            return (SqliteException) e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }

    private static String deadAddress() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void noReachableNodeFailsTheOpenAfterTheFailoverTimeoutNamingTheAddresses() throws Exception {
        String a = deadAddress();
        String b = deadAddress();
        SqliteException e = failure(Database.open("dqlite://" + a + "," + b + "/app?failoverTimeout=1s&dialTimeout=200ms"));
        assertThat(e).hasCauseInstanceOf(DqliteConnectException.class)
                .hasMessageContaining("no dqlite leader")
                .hasMessageContaining(a)
                .hasMessageContaining("1000 ms");
    }

    @Test
    void aLocationThatIsNotAUsableDqliteUrlIsRefusedNamingThePart() throws Exception {
        assertThat(failure(AsyncConnection.open("dqlite://127.0.0.1:9001/")))
                .hasMessageContaining("names the database");
        assertThat(failure(AsyncConnection.open("dqlite:///app"))).hasMessageContaining("host:port");
        assertThat(failure(AsyncConnection.open("dqlite://127.0.0.1:9001/a%00b"))).hasMessageContaining("NUL");
        assertThat(failure(AsyncConnection.open("dqlite://localhost/app"))).hasMessageContaining("host:port");
        assertThat(failure(AsyncConnection.open("dqlite://127.0.0.1:9001/app?failover=1s")))
                .hasMessageContaining("unknown dqlite URL option 'failover'");
        assertThat(failure(AsyncConnection.open("dqlite://127.0.0.1:9001/app?readTimeout=soon")))
                .hasMessageContaining("readTimeout");
    }

    @Test
    void aNodeThatResetsTheHandshakeIsReportedAsNotSpeakingTheProtocolVersion() throws Exception {
        try (FakeServer server = new FakeServer(s -> {
            FakeServer.readHandshake(s.getInputStream());
            s.setSoLinger(true, 0);
            s.close();
        })) {
            SqliteException e = failure(AsyncConnection.open("dqlite://" + server.address() + "/app?failoverTimeout=1s"));
            assertThat(e).hasCauseInstanceOf(DqliteConnectException.class).hasMessageContaining("protocol version 1");
        }
    }

    @Test
    void aServerThatIsNotDqliteIsReportedAsSuch() throws Exception {
        try (FakeServer server = new FakeServer(s -> {
            FakeServer.readHandshake(s.getInputStream());
            s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.getInputStream().readAllBytes();
        })) {
            SqliteException e = failure(Database.open("dqlite://" + server.address() + "/app?failoverTimeout=1s"));
            assertThat(e).hasCauseInstanceOf(DqliteConnectException.class).hasMessageContaining("not a dqlite");
        }
    }

    @Test
    void aLeaderThatClosesInTheMiddleOfARowBatchFailsThatQueryAndTheNextCallReconnects() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        try (FakeServer server = new FakeServer(s -> new FakeLeader(s, armed).serve())) {
            try (AsyncConnection c = AsyncConnection.open("dqlite://" + server.address() + "/app?failoverTimeout=2s")
                    .get(60, TimeUnit.SECONDS)) {
                armed.set(true);
                SqliteException e = failure(c.fetchAll("SELECT x FROM t"));
                assertThat(e).isInstanceOf(DqliteConnectionLostException.class)
                        .hasMessageContaining("closed the connection while we read the next row batch");
                armed.set(false);
                assertThat(c.fetchAll("SELECT x FROM t").get(60, TimeUnit.SECONDS)).hasSize(1);
            }
        }
    }

    @Test
    void everyCallNeedingACapabilityDqliteLacksFailsNamingItAndTheConnectionStaysUsable() throws Exception {
        try (AsyncConnection c = AsyncConnection.open(SharedCluster.url("capabilities")).get(60, TimeUnit.SECONDS)) {
            List<Object[]> calls = List.of(
                    new Object[] {"USER_FUNCTIONS", (Supplier<CompletableFuture<?>>) () -> c.createFunction("f", 1,
                            args -> args[0])},
                    new Object[] {"USER_FUNCTIONS", (Supplier<CompletableFuture<?>>) () ->
                            c.createAggregateFunction("g", 1, () -> null)},
                    new Object[] {"COLLATIONS", (Supplier<CompletableFuture<?>>) () -> c.createCollation("c",
                            String::compareTo)},
                    new Object[] {"HOOKS", (Supplier<CompletableFuture<?>>) () -> c.setUpdateHook((k, d, t, r) -> null)},
                    new Object[] {"HOOKS", (Supplier<CompletableFuture<?>>) () -> c.setCommitHook(() -> null)},
                    new Object[] {"BUSY_HANDLER", (Supplier<CompletableFuture<?>>) () -> c.setBusyHandler(n -> false)},
                    new Object[] {"PROGRESS_HANDLER", (Supplier<CompletableFuture<?>>) () ->
                            c.setProgressHandler(1000, () -> false)},
                    new Object[] {"JDBC_CONNECTION", (Supplier<CompletableFuture<?>>) () -> c.run(jdbc -> 1)});
            for (Object[] call : calls) {
                @SuppressWarnings("unchecked")
                Supplier<CompletableFuture<?>> s = (Supplier<CompletableFuture<?>>) call[1];
                assertThat(failure(s.get())).hasMessageContaining((String) call[0]).hasMessageContaining("dqlite");
            }
            assertThat(c.fetchOne("SELECT 1").get(60, TimeUnit.SECONDS).getLong(0)).isEqualTo(1);
        }
        SqliteException e = failure(Database.open(DatabaseOptions.builder(SharedCluster.url("initializer"))
                .initializer((jdbc, writer) -> { }).build()));
        assertThat(e).hasMessageContaining("JDBC_CONNECTION");
        assertThat(failure(AsyncConnection.open(io.sqliteasync.ConnectionOptions.builder(SharedCluster.url("ext"))
                .allowLoadExtension(true).build()))).hasMessageContaining("LOAD_EXTENSION");
    }

    /**
     * A fake single-node leader: answers discovery, registration, the cluster listing, open, prepare and exec, and
     * one row {@code (1)} to every query; when armed, a query gets a first batch and half of a second, then the
     * socket closes.
     */
    private static final class FakeLeader {
        private final java.net.Socket socket;
        private final AtomicBoolean armed;

        FakeLeader(java.net.Socket socket, AtomicBoolean armed) {
            this.socket = socket;
            this.armed = armed;
        }

        void serve() throws IOException {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String self = "127.0.0.1:" + socket.getLocalPort();
            FakeServer.readHandshake(in);
            for (;;) {
                int type = FakeServer.readRequest(in);
                switch (type) {
                    case Wire.REQUEST_LEADER -> out.write(FakeServer.message(Wire.RESPONSE_NODE,
                            concat(FakeServer.words(1), text(self))));
                    case Wire.REQUEST_CLIENT -> out.write(FakeServer.message(Wire.RESPONSE_WELCOME,
                            FakeServer.words(15000)));
                    case Wire.REQUEST_CLUSTER -> out.write(FakeServer.message(Wire.RESPONSE_NODES,
                            concat(concat(FakeServer.words(1, 1), text(self)), FakeServer.words(0))));
                    case Wire.REQUEST_OPEN -> out.write(FakeServer.message(Wire.RESPONSE_DB, FakeServer.words(0)));
                    case Wire.REQUEST_PREPARE -> out.write(FakeServer.message(Wire.RESPONSE_STMT,
                            FakeServer.words(0, 0)));
                    case Wire.REQUEST_EXEC, Wire.REQUEST_EXEC_SQL -> out.write(FakeServer.message(
                            Wire.RESPONSE_RESULT, FakeServer.words(0, 0)));
                    case Wire.REQUEST_FINALIZE, Wire.REQUEST_INTERRUPT -> out.write(FakeServer.message(
                            Wire.RESPONSE_EMPTY, FakeServer.words(0)));
                    case Wire.REQUEST_QUERY, Wire.REQUEST_QUERY_SQL -> {
                        if (!armed.get()) {
                            out.write(FakeServer.message(Wire.RESPONSE_ROWS,
                                    FakeServer.words(1, 0x78, 1, 1, Wire.ROWS_DONE)));
                        } else {
                            out.write(FakeServer.message(Wire.RESPONSE_ROWS,
                                    FakeServer.words(1, 0x78, 1, 1, 1, 2, Wire.ROWS_PART)));
                            byte[] second = FakeServer.message(Wire.RESPONSE_ROWS,
                                    FakeServer.words(1, 0x78, 1, 3, 1, 4, Wire.ROWS_DONE));
                            out.write(second, 0, 20);
                            out.flush();
                            socket.close();
                            return;
                        }
                    }
                    default -> throw new IOException("unexpected request " + type);
                }
                out.flush();
            }
        }

        private static byte[] text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int padded = (b.length + 1 + 7) / 8 * 8;
            return ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN).put(b).array();
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] r = new byte[a.length + b.length];
            System.arraycopy(a, 0, r, 0, a.length);
            System.arraycopy(b, 0, r, a.length, b.length);
            return r;
        }
    }
}
