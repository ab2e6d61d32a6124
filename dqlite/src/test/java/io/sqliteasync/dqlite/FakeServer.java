package io.sqliteasync.dqlite;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback TCP server that plays a scripted peer, for the failure cases a real node cannot produce on demand. */
final class FakeServer implements AutoCloseable {
    /** What the server does with one accepted connection. */
    interface Script {
        void run(Socket socket) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread thread;

    FakeServer(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.add(s);
                    Thread handler = new Thread(() -> {
                        try {
                            script.run(s);
                        } catch (IOException | InterruptedException ignored) {
                            // The client went away or the test ended.
                        }
                    }, "fake-dqlite-connection");
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "fake-dqlite-accept");
        thread.setDaemon(true);
        thread.start();
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    /** Reads the 8-byte handshake and returns the version word. */
    static long readHandshake(InputStream in) throws IOException {
        byte[] b = new DataInputStream(in).readNBytes(8);
        if (b.length < 8) {
            throw new IOException("short handshake");
        }
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Reads one request and returns its type. */
    static int readRequest(InputStream in) throws IOException {
        byte[] header = in.readNBytes(8);
        if (header.length < 8) {
            throw new IOException("short header");
        }
        int words = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
        in.readNBytes(words * 8);
        return header[4];
    }

    /** A message: header for the body, then the body. */
    static byte[] message(int type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(body.length / 8).put((byte) type).put((byte) 0).putShort((short) 0).put(body);
        return b.array();
    }

    /** Little-endian words. */
    static byte[] words(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }
}
