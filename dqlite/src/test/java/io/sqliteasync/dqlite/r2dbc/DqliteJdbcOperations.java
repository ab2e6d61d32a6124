package io.sqliteasync.dqlite.r2dbc;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.BlockingConnection;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;

/**
 * The TCK's "JDBC side" on a dqlite cluster, where no JDBC driver exists: the two calls the TestKit makes
 * ({@code execute(sql)} for its tables and rows, {@code execute(sql, callback)} to insert a BLOB or CLOB through
 * a {@link PreparedStatement}) run on a core {@link AsyncConnection} of their own, so the TCK's fixtures go through
 * another connection than the driver's, as with a file. Every other {@link JdbcTemplate} method fails (it has no
 * data source).
 */
final class DqliteJdbcOperations extends JdbcTemplate implements AutoCloseable {
    private final AsyncConnection connection;
    private final BlockingConnection blocking;

    DqliteJdbcOperations(String location) {
        this.connection = AsyncConnection.open(location).join();
        this.blocking = connection.blocking();
    }

    @Override
    public void execute(String sql) {
        blocking.executeScript(sql);
    }

    /**
     * Hands the callback a statement that records {@code setBytes}, {@code setString}, {@code setObject} and
     * {@code setNull} (what Spring's {@code DefaultLobCreator} calls) and runs the SQL with them on
     * {@code executeUpdate}.
     */
    @Override
    public <T> T execute(String sql, PreparedStatementCallback<T> action) {
        List<Object> args = new ArrayList<>();
        PreparedStatement ps = (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, a) -> {
                    switch (method.getName()) {
                        case "setBytes", "setString", "setObject", "setNull" -> {
                            int index = (Integer) a[0];
                            while (args.size() < index) {
                                args.add(null);
                            }
                            args.set(index - 1, method.getName().equals("setNull") ? null : a[1]);
                            return null;
                        }
                        case "executeUpdate" -> {
                            return (int) blocking.execute(sql, args.toArray()).rowsUpdated();
                        }
                        case "close", "clearParameters" -> {
                            args.clear();
                            return null;
                        }
                        case "toString" -> {
                            return "PreparedStatement[" + sql + "]";
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == a[0];
                        }
                        default -> throw new UnsupportedOperationException(method.getName()
                                + " is not supported by the TCK's dqlite JDBC stand-in");
                    }
                });
        try {
            return action.doInPreparedStatement(ps);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
