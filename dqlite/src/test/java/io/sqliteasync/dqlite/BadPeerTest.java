package io.sqliteasync.dqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Peers that are unreachable, are not dqlite nodes, or break in the middle of a response. No call may hang. */
@Timeout(60)
class BadPeerTest {
    private static final DqliteClientOptions QUICK = DqliteClientOptions.builder()
            .dialTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofMillis(500))
            .discoveryTimeout(Duration.ofMillis(800)).build();
    private static final Duration BOUND = Duration.ofSeconds(20);

    /** A port nothing listens on: bound, then closed. */
    private static String deadAddress() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void anAddressWithNothingListeningFailsToConnect() throws IOException {
        String dead = deadAddress();
        assertTimeoutPreemptively(BOUND, () ->
                assertThatThrownBy(() -> DqliteProtocolConnection.connect(dead, QUICK))
                        .isInstanceOf(DqliteConnectException.class)
                        .hasMessageContaining(dead));
    }

    @Test
    void discoveryWithNoReachableNodeFailsAfterTheDiscoveryTimeoutNamingEveryAddress() throws IOException {
        String a = deadAddress();
        String b = deadAddress();
        DqliteConnector connector = DqliteConnector.of(List.of(a, b), QUICK);
        long start = System.nanoTime();
        assertTimeoutPreemptively(BOUND, () ->
                assertThatThrownBy(connector::connectToLeader)
                        .isInstanceOf(DqliteConnectException.class)
                        .hasMessageContaining("no dqlite leader found")
                        .hasMessageContaining(a)
                        .hasMessageContaining(b));
        System.out.printf("discovery over two dead addresses gave up after %.0f ms (timeout 800 ms)%n",
                (System.nanoTime() - start) / 1e6);
    }

    @Test
    void aPeerThatClosesAtOnceIsNotADqliteNode() throws IOException {
        try (FakeServer server = new FakeServer(s -> s.close());
                DqliteProtocolConnection c = DqliteProtocolConnection.connect(server.address(), QUICK)) {
            assertTimeoutPreemptively(BOUND, () ->
                    assertThatThrownBy(c::leader)
                            .isInstanceOf(DqliteProtocolException.class)
                            .hasMessageContaining("before its first response")
                            .hasMessageContaining("protocol version 1"));
            assertThat(c.isOpen()).isFalse();
            assertThatThrownBy(c::leader).isInstanceOf(DqliteConnectionLostException.class);
        }
    }

    @Test
    void aPeerThatAnswersGarbageIsNotADqliteNode() throws IOException {
        try (FakeServer server = new FakeServer(s -> {
            s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readAllBytes();
        }); DqliteProtocolConnection c = DqliteProtocolConnection.connect(server.address(), QUICK)) {
            assertTimeoutPreemptively(BOUND, () ->
                    assertThatThrownBy(c::register)
                            .isInstanceOf(DqliteProtocolException.class)
                            .hasMessageContaining("not a dqlite response")
                            .hasMessageContaining("a dqlite node?"));
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void aPeerThatNeverAnswersTimesOut() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        try (FakeServer server = new FakeServer(s -> release.await(30, TimeUnit.SECONDS));
                DqliteProtocolConnection c = DqliteProtocolConnection.connect(server.address(), QUICK)) {
            assertTimeoutPreemptively(BOUND, () ->
                    assertThatThrownBy(c::leader)
                            .isInstanceOf(DqliteConnectionLostException.class)
                            .hasMessageContaining("within 500 ms")
                            .hasCauseInstanceOf(SocketTimeoutException.class));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aNodeThatRefusesTheHandshakeIsReportedAsAVersionMismatch() throws IOException {
        // What a real node does with an unknown version: it resets the connection.
        try (FakeServer server = new FakeServer(s -> {
            if (FakeServer.readHandshake(s.getInputStream()) != 1) {
                s.setSoLinger(true, 0);
                s.close();
            }
        }); DqliteProtocolConnection c = DqliteProtocolConnection.connect(server.address(), QUICK, 7)) {
            assertTimeoutPreemptively(BOUND, () ->
                    assertThatThrownBy(c::leader)
                            .isInstanceOf(DqliteProtocolException.class)
                            .hasMessageContaining("protocol version 1"));
        }
    }

    @Test
    void aHeaderAnnouncingAHugeBodyIsRejectedWithoutAllocatingIt() throws IOException {
        try (FakeServer server = new FakeServer(s -> {
            InputStream in = s.getInputStream();
            FakeServer.readHandshake(in);
            FakeServer.readRequest(in);
            s.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 0, 0, 0});
            in.readAllBytes();
        }); DqliteProtocolConnection c = DqliteProtocolConnection.connect(server.address(), QUICK)) {
            assertThatThrownBy(c::leader)
                    .isInstanceOf(DqliteProtocolException.class)
                    .hasMessageContaining("not a dqlite response");
        }
    }

    @Test
    void anUnexpectedResponseTypeIsAProtocolError() throws IOException {
        try (FakeServer server = new FakeServer(s -> {
            InputStream in = s.getInputStream();
            FakeServer.readHandshake(in);
            FakeServer.readRequest(in);
            s.getOutputStream().write(FakeServer.message(Wire.RESPONSE_EMPTY, FakeServer.words(0)));
            in.readAllBytes();
        }); DqliteProtocolConnection c = DqliteProtocolConnection.connect(server.address(), QUICK)) {
            assertThatThrownBy(c::leader)
                    .isInstanceOf(DqliteProtocolException.class)
                    .hasMessageContaining("expected a node response to leader, got empty");
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void aNodeThatClosesInTheMiddleOfARowBatchLosesTheConnection() throws IOException {
        // Rows of one column "x" (0x78): a complete first batch ending in PART, then half of the second.
        byte[] firstBatch = FakeServer.message(Wire.RESPONSE_ROWS, concat(FakeServer.words(1, 0x78, 1, 1, 1, 2),
                FakeServer.words(Wire.ROWS_PART)));
        byte[] secondBatch = FakeServer.message(Wire.RESPONSE_ROWS, concat(FakeServer.words(1, 0x78, 1, 3, 1, 4),
                FakeServer.words(Wire.ROWS_DONE)));
        try (FakeServer server = new FakeServer(s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            FakeServer.readHandshake(in);
            FakeServer.readRequest(in); // open
            out.write(FakeServer.message(Wire.RESPONSE_DB, FakeServer.words(0)));
            FakeServer.readRequest(in); // query_sql
            out.write(firstBatch);
            out.write(secondBatch, 0, 20);
            out.flush();
            s.close();
        }); DqliteProtocolConnection c = DqliteProtocolConnection.connect(server.address(), QUICK)) {
            int db = c.open("x");
            DqliteRows rows = c.querySql(db, "SELECT x FROM t");
            DqliteRowBatch batch = rows.nextBatch();
            assertThat(batch.size()).isEqualTo(2);
            assertThat(batch.isLast()).isFalse();
            assertTimeoutPreemptively(BOUND, () ->
                    assertThatThrownBy(rows::nextBatch)
                            .isInstanceOf(DqliteConnectionLostException.class)
                            .hasMessageContaining("closed the connection while we read the next row batch")
                            .hasMessageContaining("SELECT x FROM t"));
            assertThat(rows.isComplete()).isTrue();
            assertThat(c.isOpen()).isFalse();
            rows.close(); // nothing left to stop: no interrupt, no exception
            assertThatThrownBy(() -> c.querySql(db, "SELECT 1"))
                    .isInstanceOf(DqliteConnectionLostException.class)
                    .hasMessageContaining("is closed");
        }
    }

    @Test
    void aPeerThatStopsReadingCannotBlockALargeWriteForever() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        try (FakeServer server = new FakeServer(s -> {
            InputStream in = s.getInputStream();
            FakeServer.readHandshake(in);
            FakeServer.readRequest(in);
            s.getOutputStream().write(FakeServer.message(Wire.RESPONSE_DB, FakeServer.words(0)));
            release.await(30, TimeUnit.SECONDS); // and never read again
        }); DqliteProtocolConnection c = DqliteProtocolConnection.connect(server.address(), QUICK)) {
            int db = c.open("x");
            byte[] blob = new byte[64 << 20];
            long start = System.nanoTime();
            assertTimeoutPreemptively(BOUND, () ->
                    assertThatThrownBy(() -> c.execSql(db, "INSERT INTO t VALUES (?)", (Object) blob))
                            .isInstanceOf(DqliteConnectionLostException.class)
                            .hasMessageContaining("did not take it within 500 ms"));
            System.out.printf("stalled 64 MiB write abandoned after %.0f ms%n", (System.nanoTime() - start) / 1e6);
        } finally {
            release.countDown();
        }
    }

    @Test
    void closingFromAnotherThreadEndsABlockedCall() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        DqliteClientOptions patient = DqliteClientOptions.builder().readTimeout(Duration.ofSeconds(30)).build();
        try (FakeServer server = new FakeServer(s -> release.await(30, TimeUnit.SECONDS));
                DqliteProtocolConnection c = DqliteProtocolConnection.connect(server.address(), patient)) {
            Thread closer = new Thread(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ignored) {
                    return;
                }
                c.close();
            });
            closer.start();
            assertTimeoutPreemptively(BOUND, () ->
                    assertThatThrownBy(c::leader).isInstanceOf(DqliteException.class));
            closer.join();
            assertThat(c.isOpen()).isFalse();
        } finally {
            release.countDown();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
