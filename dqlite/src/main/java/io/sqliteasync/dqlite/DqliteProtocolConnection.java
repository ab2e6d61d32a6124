package io.sqliteasync.dqlite;

import io.sqliteasync.SqliteException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One blocking connection to one dqlite node, speaking wire protocol version 1: requests and their responses, one at
 * a time, over a plain TCP socket.
 *
 * <p>{@link #connect(String, DqliteClientOptions)} dials and sends the protocol version; most callers then ask
 * {@link #leader()}, {@link #register()} and {@link #open(String)} a database (or let {@link DqliteConnector} do all
 * that). A connection holds at most one database. Writes succeed only on the leader; other nodes answer them with a
 * {@link DqliteFailureException} whose {@link DqliteFailureException#isNotLeader()} is true.
 *
 * <p>Every wait is bounded: dialing by the dial timeout, each read and each write by the read timeout, an interrupt
 * by the interrupt timeout. A connection that breaks, times out or receives something that is not a dqlite message
 * is closed and every later call fails with {@link DqliteConnectionLostException}; a failure response leaves it
 * usable.
 *
 * <p>Not thread-safe: one thread at a time. {@link #close()} may be called from any thread; it makes a call blocked
 * in another thread fail with {@link DqliteConnectionLostException}.
 */
public final class DqliteProtocolConnection implements AutoCloseable {
    /** Writes up to this size fit in the socket's send buffer and cannot block for long; larger ones are guarded. */
    private static final int GUARDED_WRITE = 64 * 1024;

    private final String address;
    private final DqliteClientOptions options;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final MessageWriter writer = new MessageWriter();
    private final MessageReader reader = new MessageReader();
    private final byte[] header = new byte[Wire.HEADER];
    private byte[] body = new byte[4096];
    private int readTimeoutMillis;
    private long responses;
    private String database;
    private DqliteRows openRows;
    /** Written by whichever thread closes the connection, read by the owner thread to explain later failures. */
    private volatile String closeReason;
    /** Set by the write watchdog thread before it closes the socket; read by the owner thread. */
    private volatile boolean writeTimedOut;
    /** Asked every {@link #TICK_MILLIS} while a read waits for the node; owner thread only. */
    private BooleanSupplier waitCheck;
    /** Whether {@link #waitCheck} closed the connection; owner thread only. */
    private boolean stopped;
    /** When the last response ended, for {@link #peerClosed(long)}; owner thread only. */
    private long lastActivity = System.nanoTime();

    /** How often a waiting read asks its {@link #setWaitCheck wait check}, in milliseconds. */
    static final int TICK_MILLIS = 50;

    private DqliteProtocolConnection(String address, DqliteClientOptions options, Socket socket) throws IOException {
        this.address = address;
        this.options = options;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
        this.readTimeoutMillis = (int) options.readTimeout().toMillis();
    }

    /**
     * Connects to one node and sends the protocol version (the handshake: one little-endian word, 1). The server
     * answers nothing to the handshake: a peer that is not a dqlite node, or does not speak version 1, shows itself
     * on the first request.
     *
     * @param address the node's database address, {@code host:port} (IPv6 as {@code [::1]:9001})
     * @param options timeouts and limits
     * @return the connection, not yet registered and without a database
     * @throws DqliteConnectException when the node does not accept the connection within the dial timeout
     * @throws IllegalArgumentException when the address is not {@code host:port}
     */
    public static DqliteProtocolConnection connect(String address, DqliteClientOptions options) {
        return connect(address, options, Wire.PROTOCOL_VERSION);
    }

    /** Connects and sends the given protocol version word; other versions only serve to test refusals. */
    static DqliteProtocolConnection connect(String address, DqliteClientOptions options, long version) {
        InetSocketAddress target = parseAddress(address);
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.setSoTimeout((int) options.readTimeout().toMillis());
            socket.connect(target, (int) options.dialTimeout().toMillis());
            DqliteProtocolConnection connection = new DqliteProtocolConnection(address, options, socket);
            connection.handshake(version);
            return connection;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new DqliteConnectException("cannot connect to dqlite node " + address + " within "
                    + options.dialTimeout().toMillis() + " ms: " + e, e);
        }
    }

    private void handshake(long version) throws IOException {
        writer.start();
        writer.uint64(version);
        out.write(writer.buffer(), Wire.HEADER, 8);
        out.flush();
    }

    /**
     * The address this connection was made to.
     *
     * @return the node's address, as given to {@link #connect(String, DqliteClientOptions)}
     */
    public String address() {
        return address;
    }

    /**
     * Whether the connection is still open.
     *
     * @return false after {@link #close()} or after a failure that closed it
     */
    public boolean isOpen() {
        return closeReason == null;
    }

    /**
     * Asks the node which node leads the cluster (request 0).
     *
     * @return the leader's id and address, or empty when the node knows no leader (an election is under way)
     * @throws DqliteException when the request fails
     */
    public Optional<DqliteNode> leader() {
        begin().uint64(0);
        MessageReader r = call(Wire.REQUEST_LEADER, Wire.RESPONSE_NODE, null);
        long id = r.uint64();
        String leader = r.text();
        return leader.isEmpty() ? Optional.empty() : Optional.of(new DqliteNode(id, leader, DqliteNode.Role.VOTER));
    }

    /**
     * Registers this client with the node (request 1) under {@link DqliteClientOptions#clientId()}.
     *
     * @return the heartbeat timeout the node announces, in milliseconds (informational: the node does not drop idle
     *     clients, and go-dqlite sends no heartbeats either)
     * @throws DqliteException when the request fails
     */
    public long register() {
        begin().uint64(options.clientId());
        return call(Wire.REQUEST_CLIENT, Wire.RESPONSE_WELCOME, null).uint64();
    }

    /**
     * Lists the members of the cluster (request 16, format 1: id, address and role).
     *
     * @return the nodes, in the server's order
     * @throws DqliteException when the request fails
     */
    public List<DqliteNode> cluster() {
        begin().uint64(Wire.CLUSTER_FORMAT_V1);
        return call(Wire.REQUEST_CLUSTER, Wire.RESPONSE_NODES, null).nodes();
    }

    /**
     * Opens a database (request 3). dqlite creates it when it does not exist; any name that is not empty and has no
     * NUL character is valid. A connection holds one database.
     *
     * @param name the database name
     * @return the database id to pass to the other requests
     * @throws DqliteException with {@code SQLITE_CANTOPEN} for an empty name or one with a NUL character, with
     *     {@code SQLITE_MISUSE} when this connection already has a database open, or when the request fails
     */
    public int open(String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new DqliteException("a dqlite database name must be non-empty text without NUL characters: "
                    + (name == null ? "null" : "'" + name.replace("\0", "\\0") + "'"), SqliteException.SQLITE_CANTOPEN,
                    null, null);
        }
        if (database != null) {
            throw new DqliteException("this connection already has database '" + database + "' open; dqlite serves "
                    + "one database per connection", SqliteException.SQLITE_MISUSE, null, null);
        }
        MessageWriter w = begin();
        w.text(name, "database name");
        w.uint64(0);
        w.text("", "vfs");
        int id = call(Wire.REQUEST_OPEN, Wire.RESPONSE_DB, null).uint32();
        database = name;
        return id;
    }

    /**
     * Prepares one statement (request 4).
     *
     * @param db the database id from {@link #open(String)}
     * @param sql one SQL statement
     * @return the statement, with its id and parameter count
     * @throws DqliteFailureException for a syntax error, an empty statement or an unknown database id
     * @throws DqliteException when the request fails otherwise
     */
    public DqliteStatement prepare(int db, String sql) {
        MessageWriter w = begin();
        w.uint64(Integer.toUnsignedLong(db));
        text(w, sql);
        MessageReader r = call(Wire.REQUEST_PREPARE, Wire.RESPONSE_STMT, sql);
        int stmtDb = r.uint32();
        int id = r.uint32();
        long params = r.uint64();
        return new DqliteStatement(stmtDb, id, params, sql);
    }

    /**
     * Runs a prepared statement that returns no rows (request 5).
     *
     * @param statement the statement
     * @param params one value per parameter: {@code Long} (or a smaller integer type), {@code Double}
     *     ({@code Float}), {@code String}, {@code byte[]}, {@code Boolean}, {@code OffsetDateTime}, {@code Instant}
     *     (both sent as ISO 8601 text) or {@code null}
     * @return the last insert id and the rows affected
     * @throws DqliteException with {@code SQLITE_RANGE} when the number of values differs from the statement's
     *     parameter count or exceeds 255 without {@link DqliteClientOptions#wideParameters()}, with
     *     {@code SQLITE_MISMATCH} for a value of another type, or when the request fails
     */
    public DqliteExecResult exec(DqliteStatement statement, Object... params) {
        checkCount(statement, params);
        MessageWriter w = begin();
        w.uint32(statement.db());
        w.uint32(statement.id());
        int schema = params(w, params, statement.sql());
        MessageReader r = call(Wire.REQUEST_EXEC, schema, Wire.RESPONSE_RESULT, statement.sql());
        return new DqliteExecResult(r.uint64(), r.uint64());
    }

    /**
     * Runs a prepared statement that returns rows (request 6). The first batch arrives with the response; read the
     * rest from the returned {@link DqliteRows}, or close it, before the next request.
     *
     * @param statement the statement
     * @param params one value per parameter, as for {@link #exec(DqliteStatement, Object...)}
     * @return the result set
     * @throws DqliteException as {@link #exec(DqliteStatement, Object...)} does
     */
    public DqliteRows query(DqliteStatement statement, Object... params) {
        checkCount(statement, params);
        MessageWriter w = begin();
        w.uint32(statement.db());
        w.uint32(statement.id());
        int schema = params(w, params, statement.sql());
        return rows(Wire.REQUEST_QUERY, schema, statement.db(), statement.sql());
    }

    /**
     * Finalizes a prepared statement (request 7), releasing it on the server.
     *
     * @param statement the statement
     * @throws DqliteFailureException when the server knows no such statement (already finalized)
     * @throws DqliteException when the request fails otherwise
     */
    public void finalizeStatement(DqliteStatement statement) {
        MessageWriter w = begin();
        w.uint32(statement.db());
        w.uint32(statement.id());
        call(Wire.REQUEST_FINALIZE, Wire.RESPONSE_EMPTY, statement.sql());
    }

    /**
     * Runs SQL text that returns no rows (request 8): one statement with parameters, or several separated by
     * semicolons (the parameters then go to the first). The result is the last statement's.
     *
     * @param db the database id
     * @param sql the SQL text
     * @param params parameter values, as for {@link #exec(DqliteStatement, Object...)}
     * @return the last insert id and the rows affected
     * @throws DqliteException when a value cannot be sent or the request fails
     */
    public DqliteExecResult execSql(int db, String sql, Object... params) {
        MessageWriter w = begin();
        w.uint64(Integer.toUnsignedLong(db));
        text(w, sql);
        int schema = params(w, params, sql);
        MessageReader r = call(Wire.REQUEST_EXEC_SQL, schema, Wire.RESPONSE_RESULT, sql);
        return new DqliteExecResult(r.uint64(), r.uint64());
    }

    /**
     * Runs SQL text that returns rows (request 9). Read the returned {@link DqliteRows} to its end, or close it,
     * before the next request.
     *
     * @param db the database id
     * @param sql one statement
     * @param params parameter values, as for {@link #exec(DqliteStatement, Object...)}
     * @return the result set
     * @throws DqliteException when a value cannot be sent or the request fails
     */
    public DqliteRows querySql(int db, String sql, Object... params) {
        MessageWriter w = begin();
        w.uint64(Integer.toUnsignedLong(db));
        text(w, sql);
        int schema = params(w, params, sql);
        return rows(Wire.REQUEST_QUERY_SQL, schema, db, sql);
    }

    /**
     * Interrupts the query whose rows are streaming on this connection (request 10) and discards its remaining
     * rows until the server confirms; without such a query the server confirms at once.
     *
     * <p>dqlite reads the next request only once the current result set has been sent, so the interrupt takes
     * effect after the last batch; the rows in between are read and dropped. When that does not finish within the
     * interrupt timeout (a huge or endless result set) the connection is closed, which stops the query on the
     * server, and this method throws.
     *
     * @param db the database id
     * @throws DqliteConnectionLostException when the connection broke or had to be closed to stop the query
     * @throws DqliteException when the request fails otherwise
     */
    public void interrupt(int db) {
        if (openRows != null) {
            openRows.close();
            return;
        }
        begin().uint64(Integer.toUnsignedLong(db));
        call(Wire.REQUEST_INTERRUPT, Wire.RESPONSE_EMPTY, null);
    }

    /** Closes the socket. Idempotent; safe from any thread. */
    @Override
    public void close() {
        closeWith("closed");
    }

    // ---- rows plumbing, used by DqliteRows ----

    DqliteRowBatch readRowBatch(String sql) {
        MessageReader r = receive("the next row batch", sql);
        if (r.type() == Wire.RESPONSE_FAILURE) {
            throw r.failure(sql);
        }
        if (r.type() != Wire.RESPONSE_ROWS) {
            throw protocolError("expected a rows response for the next batch, got " + Wire.responseName(r.type()));
        }
        return decode(r::rows);
    }

    void rowsEnded(DqliteRows rows) {
        if (openRows == rows) {
            openRows = null;
        }
    }

    void interruptRows(DqliteRows rows, int db, String sql) {
        if (openRows != rows) {
            return;
        }
        openRows = null;
        if (!isOpen()) {
            return; // a closed socket has already stopped the query on the server
        }
        long deadline = System.nanoTime() + options.interruptTimeout().toNanos();
        // The drain is bounded by the interrupt timeout; the wait check would read the short socket timeout as a tick.
        BooleanSupplier check = waitCheck;
        waitCheck = null;
        try {
            MessageWriter w = writer.start();
            w.uint64(Integer.toUnsignedLong(db));
            send(w.finish(Wire.REQUEST_INTERRUPT, 0), "interrupt", sql);
            for (long drained = 0;; drained++) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw drainTimeout(drained, sql);
                }
                // Rounded up, so that a read that times out does so at or after the deadline.
                long leftMillis = (left + 999_999) / 1_000_000;
                socket.setSoTimeout((int) Math.max(1, Math.min(readTimeoutMillis, leftMillis)));
                MessageReader r;
                try {
                    r = receive("the end of an interrupted query", sql);
                } catch (DqliteConnectionLostException e) {
                    if (e.getCause() instanceof SocketTimeoutException && System.nanoTime() - deadline >= 0) {
                        throw drainTimeout(drained, sql);
                    }
                    throw e;
                }
                if (r.type() == Wire.RESPONSE_EMPTY) {
                    return;
                }
                // Rows still in flight, or the failure that ended the query: both come before the confirmation.
                if (r.type() != Wire.RESPONSE_ROWS && r.type() != Wire.RESPONSE_FAILURE) {
                    throw protocolError("expected rows or the confirmation of an interrupt, got "
                            + Wire.responseName(r.type()));
                }
            }
        } catch (IOException e) {
            throw lost("setting a socket timeout", sql, e);
        } finally {
            waitCheck = check;
            if (isOpen()) {
                try {
                    socket.setSoTimeout(soTimeout());
                } catch (IOException e) {
                    closeWith("cannot reset the socket timeout: " + e);
                }
            }
        }
    }

    private DqliteConnectionLostException drainTimeout(long drained, String sql) {
        String reason = "the query still sent rows " + options.interruptTimeout().toMillis() + " ms after the "
                + "interrupt (" + drained + " responses discarded; dqlite reads an interrupt only after the result set "
                + "ends); closed the connection to stop it";
        closeWith(reason);
        return new DqliteConnectionLostException(reason, sql, null);
    }

    void setReadTimeout(int millis) {
        readTimeoutMillis = millis;
        try {
            socket.setSoTimeout(soTimeout());
        } catch (IOException e) {
            throw lost("setting the read timeout", null, e);
        }
    }

    /**
     * Sets a check that a waiting read asks on the owner thread every {@value #TICK_MILLIS} ms; when it answers
     * {@code true} the connection is closed (which is what stops a request on a dqlite node) and the read fails with
     * {@link DqliteConnectionLostException}, after which {@link #wasStopped()} is true.
     *
     * @param check the check, or {@code null} for none
     */
    void setWaitCheck(BooleanSupplier check) {
        waitCheck = check;
        if (isOpen()) {
            try {
                socket.setSoTimeout(soTimeout());
            } catch (IOException e) {
                throw lost("setting the read timeout", null, e);
            }
        }
    }

    /**
     * Whether the {@link #setWaitCheck wait check} closed this connection.
     *
     * @return {@code true} after a stop
     */
    boolean wasStopped() {
        return stopped;
    }

    /**
     * Whether the node closed this connection while it sat idle (a node killed or restarted since the last
     * response): checked before a request is sent on a connection idle for longer than {@code idleNanos}, so that a
     * request is not lost with an unknown outcome on a connection that was already dead. A live connection costs a
     * one-millisecond wait.
     *
     * @param idleNanos how long the connection must have been idle to be checked
     * @return {@code true} when the connection is (now) closed
     */
    boolean peerClosed(long idleNanos) {
        if (!isOpen()) {
            return true;
        }
        if (openRows != null || System.nanoTime() - lastActivity < idleNanos) {
            return false;
        }
        try {
            if (in.available() > 0) {
                return false;
            }
            socket.setSoTimeout(1);
            in.mark(1);
            if (in.read() < 0) {
                closeWith(address + " closed the idle connection");
                return true;
            }
            in.reset();
            return false;
        } catch (SocketTimeoutException e) {
            lastActivity = System.nanoTime();
            return false;
        } catch (IOException e) {
            closeWith("the idle connection broke: " + e);
            return true;
        } finally {
            if (isOpen()) {
                try {
                    socket.setSoTimeout(soTimeout());
                } catch (IOException e) {
                    closeWith("cannot reset the socket timeout: " + e);
                }
            }
        }
    }

    private int soTimeout() {
        return waitCheck == null ? readTimeoutMillis : Math.min(TICK_MILLIS, readTimeoutMillis);
    }

    int readTimeoutMillis() {
        return readTimeoutMillis;
    }

    // ---- requests ----

    private MessageWriter begin() {
        ensureUsable();
        return writer.start();
    }

    private void ensureUsable() {
        String reason = closeReason;
        if (reason != null) {
            throw new DqliteConnectionLostException("the connection to " + address + " is closed: " + reason, null, null);
        }
        if (openRows != null) {
            throw new DqliteException("a result set is still streaming on this connection; read it to its end or "
                    + "close it before the next request", SqliteException.SQLITE_MISUSE, null, null);
        }
    }

    private static void text(MessageWriter w, String sql) {
        try {
            w.text(sql, "the SQL text");
        } catch (IllegalArgumentException e) {
            throw new DqliteException(e.getMessage(), SqliteException.SQLITE_MISUSE, sql, e);
        }
    }

    private int params(MessageWriter w, Object[] params, String sql) {
        try {
            return w.params(params, options.wideParameters());
        } catch (IllegalArgumentException e) {
            int code = params != null && params.length > 255 ? SqliteException.SQLITE_RANGE : SqliteException.SQLITE_MISMATCH;
            throw new DqliteException(e.getMessage(), code, sql, e);
        }
    }

    private static void checkCount(DqliteStatement statement, Object[] params) {
        int given = params == null ? 0 : params.length;
        if (given != statement.parameterCount()) {
            throw new DqliteException("the statement takes " + statement.parameterCount() + " parameters, got "
                    + given, SqliteException.SQLITE_RANGE, statement.sql(), null);
        }
    }

    private DqliteRows rows(int type, int schema, int db, String sql) {
        MessageReader r = call(type, schema, Wire.RESPONSE_ROWS, sql);
        DqliteRowBatch first = decode(r::rows);
        DqliteRows rows = new DqliteRows(this, db, sql, first);
        if (!first.isLast()) {
            openRows = rows;
        }
        return rows;
    }

    private MessageReader call(int type, int expected, String sql) {
        return call(type, 0, expected, sql);
    }

    private MessageReader call(int type, int schema, int expected, String sql) {
        String what = Wire.requestName(type);
        send(writer.finish(type, schema), what, sql);
        MessageReader r = receive("the response to " + what, sql);
        if (r.type() == Wire.RESPONSE_FAILURE) {
            throw decode(() -> r.failure(sql));
        }
        if (r.type() != expected) {
            throw protocolError("expected a " + Wire.responseName(expected) + " response to " + what + ", got "
                    + Wire.responseName(r.type()));
        }
        return r;
    }

    private <T> T decode(java.util.function.Supplier<T> decoder) {
        try {
            return decoder.get();
        } catch (DqliteProtocolException e) {
            closeWith(e.getMessage());
            throw new DqliteProtocolException(e.getMessage() + " from " + address, e);
        }
    }

    private void send(int length, String what, String sql) {
        byte[] bytes = writer.buffer();
        if (length <= GUARDED_WRITE) {
            try {
                out.write(bytes, 0, length);
                return;
            } catch (IOException e) {
                throw sendFailure(what, sql, e);
            }
        }
        // A peer that stops reading fills the send buffer and blocks the write: SO_TIMEOUT covers reads only.
        ScheduledFuture<?> guard = WriteWatchdog.EXECUTOR.schedule(() -> {
            writeTimedOut = true;
            closeWith("a write did not finish within " + readTimeoutMillis + " ms");
        }, readTimeoutMillis, TimeUnit.MILLISECONDS);
        try {
            out.write(bytes, 0, length);
        } catch (IOException e) {
            if (writeTimedOut) {
                throw lost("sending " + what + ": the node did not take it within " + readTimeoutMillis + " ms", sql, e);
            }
            throw sendFailure(what, sql, e);
        } finally {
            guard.cancel(false);
        }
    }

    private MessageReader receive(String what, String sql) {
        try {
            readFully(header, Wire.HEADER);
            long words = Integer.toUnsignedLong(readInt(header, 0));
            int type = header[4] & 0xff;
            long size = words * Wire.WORD;
            if (words == 0 || size > options.maxMessageSize() || type > Wire.RESPONSE_MAX) {
                throw protocolError("received a header that is not a dqlite response (" + words + " words, type "
                        + type + ") while reading " + what + firstResponseHint());
            }
            if (body.length < size) {
                body = new byte[(int) Math.max(size, Math.min((long) body.length * 2, options.maxMessageSize()))];
            }
            readFully(body, (int) size);
            responses++;
            lastActivity = System.nanoTime();
            return reader.reset(body, (int) size, type);
        } catch (Stopped e) {
            stopped = true;
            closeWith("stopped while waiting for " + what + " (the call was cancelled, interrupted or passed its"
                    + " deadline); closing the connection is what stops a request on a dqlite node");
            throw new DqliteConnectionLostException("stopped while waiting for " + what + " from " + address
                    + "; connection closed", sql, e);
        } catch (SocketTimeoutException e) {
            throw lost("no data from " + address + " within " + readTimeoutMillis + " ms while reading " + what
                    + firstResponseHint(), sql, e);
        } catch (EOFException e) {
            if (responses == 0) {
                throw refusedBeforeFirstResponse(e);
            }
            throw lost(address + " closed the connection while we read " + what, sql, e);
        } catch (IOException e) {
            if (responses == 0 && closeReason == null) {
                throw refusedBeforeFirstResponse(e);
            }
            throw lost("reading " + what + " from " + address, sql, e);
        }
    }

    private DqliteException sendFailure(String what, String sql, IOException e) {
        // A node that refuses the handshake (wrong version, or not dqlite at all) drops the connection, which may
        // surface while the first request is still being written.
        if (responses == 0 && closeReason == null) {
            return refusedBeforeFirstResponse(e);
        }
        return lost("sending " + what + " to " + address, sql, e);
    }

    private DqliteProtocolException refusedBeforeFirstResponse(IOException e) {
        closeWith("dropped by the node before its first response: " + e);
        return new DqliteProtocolException(address + " closed the connection before its first response (" + e
                + "): not a dqlite node, or one that does not speak protocol version " + Wire.PROTOCOL_VERSION, e);
    }

    private String firstResponseHint() {
        return responses == 0 ? " (the first response: is " + address + " a dqlite node?)" : "";
    }

    private void readFully(byte[] into, int length) throws IOException {
        int done = 0;
        long quietSince = System.nanoTime();
        while (done < length) {
            int n;
            try {
                n = in.read(into, done, length - done);
            } catch (SocketTimeoutException e) {
                BooleanSupplier check = waitCheck;
                if (check == null || System.nanoTime() - quietSince >= TimeUnit.MILLISECONDS.toNanos(readTimeoutMillis)) {
                    throw e;
                }
                if (check.getAsBoolean()) {
                    throw new Stopped();
                }
                continue;
            }
            quietSince = System.nanoTime();
            if (n < 0) {
                throw new EOFException("end of stream after " + done + " of " + length + " bytes");
            }
            done += n;
        }
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private DqliteConnectionLostException lost(String what, String sql, IOException cause) {
        String reason = closeReason;
        closeWith(what + ": " + cause);
        String message = reason != null && !reason.equals(closeReason) ? what + " (" + reason + ")" : what;
        return new DqliteConnectionLostException(message + "; connection closed", sql, cause);
    }

    private DqliteProtocolException protocolError(String message) {
        closeWith(message);
        return new DqliteProtocolException(message, null);
    }

    private void closeWith(String reason) {
        synchronized (this) {
            if (closeReason == null) {
                closeReason = reason;
            }
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is best effort: the socket is unusable either way.
        }
    }

    static InetSocketAddress parseAddress(String address) {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("a dqlite address is host:port: '" + address + "'");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a dqlite address is host:port: '" + address + "'", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in '" + address + "'");
        }
        return new InetSocketAddress(host, port);
    }

    /** A waiting read stopped by the wait check. */
    private static final class Stopped extends IOException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped by the wait check");
        }
    }

    /** One daemon thread that closes connections whose large writes stall; started on the first large write. */
    private static final class WriteWatchdog {
        static final ScheduledThreadPoolExecutor EXECUTOR = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sqlite-async-dqlite-write-watchdog");
            t.setDaemon(true);
            return t;
        });

        static {
            EXECUTOR.setRemoveOnCancelPolicy(true);
        }

        private WriteWatchdog() {
        }
    }
}
