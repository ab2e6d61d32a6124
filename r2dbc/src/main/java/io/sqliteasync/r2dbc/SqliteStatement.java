package io.sqliteasync.r2dbc;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import io.r2dbc.spi.Parameter;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.sqliteasync.internal.sql.SqlScript;
import io.sqliteasync.internal.sql.SqlStatement;
import io.sqliteasync.internal.sql.SqlText;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;

/**
 * A statement with its bindings. Building it (bind, add, ...) is not thread-safe: one thread builds it, as R2DBC
 * expects. {@link #execute()} copies the bindings, so the statement may be bound again while an execution runs.
 *
 * <p>Parameters are numbered the way SQLite numbers them: {@code ?} takes the next number, {@code ?NNN} the number
 * NNN, and each distinct {@code :name}, {@code @name} or {@code $name} the next number at its first use. Bind by
 * 0-based index, or by name with or without its prefix character. Values may be of any class the connection's
 * codecs encode ({@link String}, numbers, {@link Boolean}, {@code byte[]}, {@link ByteBuffer},
 * {@link java.math.BigDecimal}, {@link java.util.UUID}, {@code java.time} types, ...), a {@link Blob}, a
 * {@link Clob} or an in-{@link Parameter}.
 */
final class SqliteStatement implements Statement {
    private final SqliteConnection connection;
    private final List<SqlStatement> parts;
    private final int parameterCount;
    private final Map<String, Integer> names;
    private final List<Object[]> sets = new ArrayList<>();
    private Object[] current;
    private boolean[] bound;
    private int boundCount;
    private String[] generatedColumns;
    private int fetchSize;

    SqliteStatement(SqliteConnection connection, String sql) {
        this.connection = connection;
        this.parts = SqlScript.split(sql);
        this.parameterCount = parts.size() == 1 ? parts.get(0).parameters().count() : 0;
        this.names = parts.size() == 1 ? parts.get(0).parameters().indexes() : Map.of();
        reset();
    }

    private void reset() {
        current = new Object[parameterCount];
        bound = new boolean[parameterCount];
        boundCount = 0;
    }

    /**
     * Saves the current bindings as one set and starts the next.
     *
     * @return this statement
     * @throws IllegalStateException if a parameter of the current set is not bound
     */
    @Override
    public SqliteStatement add() {
        checkComplete();
        sets.add(current);
        reset();
        return this;
    }

    /**
     * Binds a value by 0-based index.
     *
     * @param index the parameter's SQLite number minus one
     * @param value the value, not {@code null} (use {@link #bindNull(int, Class)})
     * @return this statement
     * @throws IllegalArgumentException if the value is {@code null} or of a class no codec encodes
     * @throws IndexOutOfBoundsException if there is no such parameter
     */
    @Override
    public SqliteStatement bind(int index, Object value) {
        SqliteConnection.requireArgument(value, "value");
        Object v = convert(value);
        set(index, v);
        return this;
    }

    /**
     * Binds a value by name: {@code "id"} matches {@code :id}, {@code @id} and {@code $id}; a name with its prefix
     * matches only that form.
     *
     * @param name the name
     * @param value the value, not {@code null}
     * @return this statement
     * @throws NoSuchElementException if no parameter has this name
     */
    @Override
    public SqliteStatement bind(String name, Object value) {
        SqliteConnection.requireArgument(name, "name");
        SqliteConnection.requireArgument(value, "value");
        Object v = convert(value);
        set(indexOf(name), v);
        return this;
    }

    /**
     * Binds SQL NULL by index.
     *
     * @param index the 0-based index
     * @param type the value's class, not {@code null}
     * @return this statement
     */
    @Override
    public SqliteStatement bindNull(int index, Class<?> type) {
        SqliteConnection.requireArgument(type, "type");
        set(index, null);
        return this;
    }

    /**
     * Binds SQL NULL by name.
     *
     * @param name the name
     * @param type the value's class, not {@code null}
     * @return this statement
     */
    @Override
    public SqliteStatement bindNull(String name, Class<?> type) {
        SqliteConnection.requireArgument(name, "name");
        SqliteConnection.requireArgument(type, "type");
        set(indexOf(name), null);
        return this;
    }

    /**
     * Makes an INSERT, UPDATE, DELETE or REPLACE return the given columns, or every column ({@code RETURNING *})
     * when none are named; the result then holds rows. Other statements and statements that already say
     * {@code RETURNING} are left alone.
     *
     * @param columns the columns: plain names are quoted as identifiers; names already quoted ({@code "id"},
     *     {@code `id`}, {@code [id]}) are used as they are
     * @return this statement
     */
    @Override
    public SqliteStatement returnGeneratedValues(String... columns) {
        SqliteConnection.requireArgument(columns, "columns");
        for (String c : columns) {
            SqliteConnection.requireArgument(c, "column");
        }
        generatedColumns = columns.clone();
        return this;
    }

    /**
     * Sets how many rows each round trip steps (the prefetch); {@code 0} restores the connection's default.
     *
     * @param rows the batch size
     * @return this statement
     */
    @Override
    public SqliteStatement fetchSize(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("fetch size must not be negative, was " + rows);
        }
        fetchSize = rows;
        return this;
    }

    /**
     * Runs the statement once per binding set, when subscribed; see {@link SqliteConnection} for where.
     *
     * @return one result per binding set and SQL statement, in order, emitted on a worker thread
     * @throws IllegalStateException if a parameter is not bound, or {@link #add()} was called after the last set
     */
    @Override
    public Flux<Result> execute() {
        List<Object[]> all = new ArrayList<>(sets);
        if (boundCount > 0 || all.isEmpty()) {
            checkComplete();
            all.add(current);
        } else if (parameterCount > 0) {
            throw new IllegalStateException("add() was called after the last binding set: bind values after it or"
                    + " do not call it");
        }
        sets.clear();
        reset();
        List<SqliteConnection.Unit> units = new ArrayList<>(all.size() * parts.size());
        for (Object[] args : all) {
            for (SqlStatement p : parts) {
                units.add(unit(p, args));
            }
        }
        int n = fetchSize > 0 ? fetchSize : connection.prefetch();
        return connection.run(units, n);
    }

    private SqliteConnection.Unit unit(SqlStatement p, Object[] args) {
        if (generatedColumns != null && p.isDml() && !p.hasReturning()) {
            String cols = generatedColumns.length == 0 ? "*"
                    : Arrays.stream(generatedColumns).map(SqliteStatement::returningColumn).collect(Collectors.joining(", "));
            // On a line of its own: the statement may end with a line comment.
            return new SqliteConnection.Unit(SqlStatement.Kind.WRITE_ROWS, p.text() + "\nRETURNING " + cols, args);
        }
        return new SqliteConnection.Unit(p.kind(), p.text(), args);
    }

    /**
     * A column for RETURNING: a name that is already quoted ({@code "id"}, {@code `id`}, {@code [id]}; Spring Data 4
     * quotes every identifier) is used as it is, any other name is quoted. Quoting a quoted name again would name a
     * column {@code "id"} with the quotes, and SQLite reads a double-quoted name that is no column as a string
     * literal: the statement would return the text instead of the key.
     */
    static String returningColumn(String name) {
        if (isQuoted(name, '"', '"') || isQuoted(name, '`', '`') || isQuoted(name, '[', ']')) {
            return name;
        }
        return SqlText.quoteIdentifier(name);
    }

    private static boolean isQuoted(String name, char open, char close) {
        int n = name.length();
        if (n < 2 || name.charAt(0) != open || name.charAt(n - 1) != close) {
            return false;
        }
        if (open == '[') {
            return name.indexOf(']') == n - 1;
        }
        // Inside, the quote character appears only doubled.
        for (int i = 1; i < n - 1; i++) {
            if (name.charAt(i) == close) {
                if (i + 1 >= n - 1 || name.charAt(i + 1) != close) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    private void checkComplete() {
        if (boundCount < parameterCount) {
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < parameterCount; i++) {
                if (!bound[i]) {
                    missing.add(i);
                }
            }
            throw new IllegalStateException("parameters not bound (0-based): " + missing);
        }
    }

    private void set(int index, Object value) {
        if (index < 0 || index >= parameterCount) {
            throw new IndexOutOfBoundsException("no parameter " + index + ": the statement has " + parameterCount
                    + (parts.size() > 1 ? " (parameters need a single SQL statement)" : ""));
        }
        current[index] = value;
        if (!bound[index]) {
            bound[index] = true;
            boundCount++;
        }
    }

    private int indexOf(String name) {
        Integer i = names.get(name);
        if (i == null) {
            for (String prefix : new String[] {":", "@", "$", "#"}) {
                i = names.get(prefix + name);
                if (i != null) {
                    break;
                }
            }
        }
        if (i == null) {
            throw new NoSuchElementException("no parameter named '" + name + "'; the statement has "
                    + names.keySet());
        }
        return i - 1;
    }

    private Object convert(Object value) {
        Object v = value;
        if (v instanceof Parameter) {
            Parameter p = (Parameter) v;
            if (p instanceof Parameter.Out) {
                throw new IllegalArgumentException("SQLite has no OUT parameters");
            }
            v = p.getValue();
            if (v == null) {
                return null;
            }
        }
        if (v instanceof Blob || v instanceof Clob || v instanceof byte[]) {
            return v;
        }
        if (v instanceof ByteBuffer) {
            return Lobs.bytes((ByteBuffer) v);
        }
        if (!connection.codecs().canEncode(v.getClass())) {
            throw new IllegalArgumentException("cannot bind a value of " + v.getClass().getName()
                    + ": no codec encodes it (add one to the CodecRegistry)");
        }
        return v;
    }

    @Override
    public String toString() {
        return "SqliteStatement" + parts.stream().map(SqlStatement::text).collect(Collectors.toList());
    }
}
