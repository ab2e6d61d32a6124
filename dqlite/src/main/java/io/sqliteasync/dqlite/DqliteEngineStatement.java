package io.sqliteasync.dqlite;

import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.EngineStatement;
import io.sqliteasync.internal.engine.RowSink;
import io.sqliteasync.internal.engine.StatementResult;
import io.sqliteasync.internal.sql.SqlParameters;
import io.sqliteasync.internal.sql.SqlStatement;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A statement of the dqlite engine: prepared on the leader (which checks its syntax and counts its parameters), and
 * prepared again on the next leader after a failover. A statement that returns rows runs as a query request whose
 * rows arrive in batches of about 4 KB; others run as an exec request, which returns the changes and the last
 * insert rowid. Owner thread only.
 *
 * <p>Columns. The protocol sends column names with the rows and no declared types: names are known after
 * {@link #start()}, {@link #declaredType(int)} is always {@code null}. Whether a statement returns rows is decided
 * before it runs: from its text for SELECT, VALUES, WITH ... SELECT, EXPLAIN and RETURNING (which report one
 * column until their first execution gives the real count), and from {@code EXPLAIN} for a PRAGMA.
 *
 * <p>Values. dqlite sends integers of a {@code DATETIME}/{@code DATE}/{@code TIMESTAMP} column as unix time and
 * those of a {@code BOOLEAN} column as booleans; both come back as the integer SQLite stored.
 */
final class DqliteEngineStatement implements EngineStatement {
    private final DqliteEngineConnection connection;
    private final String sql;
    private final SqlStatement parsed;
    private final boolean returnsRows;
    private final int parameterCount;
    private SqlParameters names;
    private Object[] values;
    private DqliteStatement handle;
    private int handleGeneration = -1;
    /** Column names of the last execution that returned rows; {@code null} before. */
    private List<String> columns;
    /** The running execution: rows received and not yet delivered, the open result set, a failure to report. */
    private final ArrayDeque<Object[]> buffer = new ArrayDeque<>();
    private DqliteRows rows;
    private int rowsGeneration;
    private boolean running;
    private RuntimeException pendingFailure;
    private boolean closed;

    DqliteEngineStatement(DqliteEngineConnection connection, String sql, SqlStatement parsed) {
        this.connection = connection;
        this.sql = sql;
        this.parsed = parsed;
        boolean rows = parsed.kind() == SqlStatement.Kind.QUERY || parsed.kind() == SqlStatement.Kind.WRITE_ROWS;
        if (parsed.firstKeyword().equals("PRAGMA")) {
            rows = explainColumns() > 0;
        }
        this.returnsRows = rows;
        if (!parsed.isTransactionControl()) {
            // Prepared on the leader now, so that a syntax error or an unknown table fails here, as in SQLite.
            this.parameterCount = (int) connection.run(sql, TransactionTracker.Access.READ, this::handle)
                    .parameterCount();
        } else {
            // Transaction control runs as SQL text: preparing BEGIN on one connection and running it on the next
            // would make no difference, and saves a round trip per transaction.
            this.parameterCount = 0;
        }
        this.values = new Object[parameterCount];
    }

    /** The server-side statement on the current connection, prepared there if needed. */
    private DqliteStatement handle(DqliteProtocolConnection c) {
        if (handle == null || handleGeneration != connection.generation()) {
            handle = c.prepare(connection.db(), sql);
            handleGeneration = connection.generation();
        }
        return handle;
    }

    /** The number of result columns from the statement's bytecode (the {@code ResultRow} opcode's P2). */
    private int explainColumns() {
        List<Object[]> program = connection.run(sql, TransactionTracker.Access.READ, c -> {
            try (DqliteRows r = c.querySql(connection.db(), "EXPLAIN " + sql)) {
                return r.readAll();
            }
        });
        for (Object[] op : program) {
            if (op.length >= 4 && "ResultRow".equals(op[1]) && op[3] instanceof Long) {
                return ((Long) op[3]).intValue();
            }
        }
        return 0;
    }

    @Override
    public String sql() {
        return sql;
    }

    @Override
    public int parameterCount() {
        ensureOpen();
        return parameterCount;
    }

    @Override
    public String parameterName(int index) {
        ensureOpen();
        if (names == null) {
            names = SqlParameters.parse(sql);
        }
        return index >= 1 && index <= names.names().size() ? names.names().get(index - 1) : null;
    }

    @Override
    public int columnCount() {
        ensureOpen();
        if (!returnsRows) {
            return 0;
        }
        return columns != null ? columns.size() : 1;
    }

    @Override
    public String columnName(int column) {
        ensureOpen();
        if (columns == null) {
            throw new SqliteException("the dqlite engine knows a statement's column names only once it has run",
                    SqliteException.SQLITE_MISUSE, sql, null);
        }
        return columns.get(column);
    }

    @Override
    public String declaredType(int column) {
        ensureOpen();
        return null;
    }

    @Override
    public Boolean readOnly() {
        return null;
    }

    @Override
    public void bind(int index, Object value) {
        ensureOpen();
        if (running) {
            throw new SqliteException("cannot bind while the statement runs; reset it first",
                    SqliteException.SQLITE_MISUSE, sql, null);
        }
        if (index < 1 || index > parameterCount) {
            throw new SqliteException("parameter index " + index + " out of range 1.." + parameterCount,
                    SqliteException.SQLITE_RANGE, sql, null);
        }
        if (value != null && !(value instanceof Long || value instanceof Double || value instanceof String
                || value instanceof byte[])) {
            throw new SqliteException("not a storage value: " + value.getClass().getName() + " for parameter "
                    + index, SqliteException.SQLITE_MISMATCH, sql, null);
        }
        if (value instanceof String s && s.indexOf('\0') >= 0) {
            throw new SqliteException("parameter " + index + " is text with a NUL character, which the dqlite"
                    + " protocol cannot carry: bind it as a blob", SqliteException.SQLITE_MISMATCH, sql, null);
        }
        values[index - 1] = value;
    }

    @Override
    public void clearBindings() {
        ensureOpen();
        Arrays.fill(values, null);
    }

    @Override
    public boolean start() {
        ensureOpen();
        reset();
        if (!returnsRows) {
            exec(values);
            return false;
        }
        Object[] params = values.clone();
        rows = connection.run(sql, connection.access(parsed), c -> c.query(handle(c), params));
        rowsGeneration = connection.generation();
        if (parsed.firstKeyword().equals("PRAGMA")) {
            connection.succeeded(parsed, true);
        }
        running = true;
        columns = rows.columns();
        if (!rows.isComplete()) {
            connection.streaming(this);
        }
        // The first batch came with the response; an empty one may be followed by more.
        while (buffer.isEmpty() && running) {
            readBatch();
        }
        if (buffer.isEmpty()) {
            finish();
            return false;
        }
        return true;
    }

    /** Moves the next batch into the buffer; at the end of the rows, marks the execution done. */
    private void readBatch() {
        DqliteRowBatch batch;
        try {
            if (!rows.isComplete()) {
                connection.stopIfAskedWhileStreaming(sql);
            }
            batch = rows.nextBatch();
        } catch (SqliteException e) {
            running = false;
            connection.notStreaming(this);
            rows = null;
            throw e;
        }
        if (batch == null) {
            running = false;
            connection.notStreaming(this);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            buffer.add(storage(batch.row(i)));
        }
        if (batch.isLast()) {
            running = false;
            connection.notStreaming(this);
        }
    }

    /** dqlite's typed values back to the storage values SQLite holds. */
    private static Object[] storage(Object[] row) {
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v instanceof Instant t) {
                row[i] = t.getEpochSecond();
            } else if (v instanceof Boolean b) {
                row[i] = b ? 1L : 0L;
            }
        }
        return row;
    }

    @Override
    public boolean fetch(RowSink sink, int max) {
        ensureOpen();
        if (pendingFailure != null) {
            RuntimeException e = pendingFailure;
            pendingFailure = null;
            finish();
            throw e;
        }
        int n = 0;
        while (n < max) {
            if (buffer.isEmpty()) {
                if (!running) {
                    break;
                }
                if (rowsGeneration != connection.generation() || rows == null) {
                    throw connectionGone();
                }
                readBatch();
                continue;
            }
            sink.row(buffer.poll());
            n++;
        }
        if (buffer.isEmpty() && !running) {
            finish();
            return false;
        }
        return true;
    }

    private DqliteConnectionLostException connectionGone() {
        finish();
        return new DqliteConnectionLostException("the connection to the dqlite leader broke while this query's rows"
                + " were being read; run the query again", sql, null);
    }

    /**
     * Reads the rest of the result set into memory: another request is about to use the connection, which takes no
     * request while a result set streams. A failure is kept for the next {@link #fetch}.
     */
    void bufferRest() {
        try {
            while (running) {
                readBatch();
            }
        } catch (RuntimeException e) {
            pendingFailure = e;
        }
    }

    /** The connection this result set streamed on is gone. */
    void connectionDropped() {
        if (running) {
            running = false;
            rows = null;
            pendingFailure = new DqliteConnectionLostException("the connection to the dqlite leader broke while"
                    + " this query's rows were being read; run the query again", sql, null);
        }
    }

    private void finish() {
        running = false;
        rows = null;
        buffer.clear();
        connection.notStreaming(this);
    }

    @Override
    public StatementResult execute() {
        ensureOpen();
        reset();
        if (!returnsRows) {
            return exec(values);
        }
        if (!parsed.hasReturning()) {
            // A query run for its effect, as one sqlite3_step would: started, then stopped.
            start();
            reset();
            return new StatementResult(0, connection.lastInsertRowid());
        }
        // RETURNING: run it through and count the rows, one per changed row.
        long count = 0;
        if (start()) {
            long[] seen = {0};
            while (fetch(r -> seen[0]++, Integer.MAX_VALUE)) {
                // read every batch
            }
            count = seen[0];
        }
        connection.recordReturningChanges(count);
        if (parsed.firstKeyword().equals("INSERT") || parsed.firstKeyword().equals("REPLACE")) {
            connection.recordLastInsertRowid(lastInsertRowidOnServer());
        }
        return new StatementResult(count, connection.lastInsertRowid());
    }

    private long lastInsertRowidOnServer() {
        List<Object[]> r = connection.run(sql, TransactionTracker.Access.READ, c -> {
            try (DqliteRows rs = c.querySql(connection.db(), "SELECT last_insert_rowid()")) {
                return rs.readAll();
            }
        });
        return r.isEmpty() || !(r.get(0)[0] instanceof Long) ? 0 : (Long) r.get(0)[0];
    }

    private StatementResult exec(Object[] params) {
        Object[] copy = params.clone();
        DqliteExecResult r = connection.run(sql, connection.access(parsed), c -> parsed.isTransactionControl()
                ? c.execSql(connection.db(), sql) : c.exec(handle(c), copy));
        connection.succeeded(parsed, false);
        if (r == null) {
            return new StatementResult(0, connection.lastInsertRowid());
        }
        connection.recordChanges(parsed, r.rowsAffected(), r.lastInsertId());
        return new StatementResult(parsed.isDml() ? r.rowsAffected() : 0, connection.lastInsertRowid());
    }

    @Override
    public StatementResult executeBatch(List<Object[]> sets) {
        ensureOpen();
        reset();
        long total = 0;
        for (Object[] set : sets) {
            if (set.length != parameterCount) {
                throw new SqliteException("the statement takes " + parameterCount + " parameters, got " + set.length,
                        SqliteException.SQLITE_RANGE, sql, null);
            }
            for (int i = 0; i < set.length; i++) {
                bind(i + 1, set[i]);
            }
            total += exec(values).changes();
        }
        return new StatementResult(total, connection.lastInsertRowid());
    }

    @Override
    public void reset() {
        if (rows != null && running && rowsGeneration == connection.generation()) {
            DqliteRows r = rows;
            finish();
            try {
                // Interrupts the query on the server and discards the rows in flight, or closes the connection.
                r.close();
            } catch (DqliteException e) {
                // The connection was closed to stop the query; the next request finds the leader again.
            }
        } else if (running || !buffer.isEmpty() || rows != null) {
            finish();
        }
        pendingFailure = null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            reset();
            if (handle != null) {
                // Directly, never through failover: a statement of a connection that is gone needs no finalizing,
                // and closing must not wait for an election.
                connection.finalizeQuietly(handle, handleGeneration);
            }
        } catch (RuntimeException ignored) {
            // Closing never fails: the server frees the statement with its connection at the latest.
        }
        handle = null;
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new SqliteException("the statement is closed (finalized)", SqliteException.SQLITE_MISUSE, sql,
                    null);
        }
    }

    @Override
    public String toString() {
        return "dqlite statement " + sql.toLowerCase(Locale.ROOT);
    }
}
