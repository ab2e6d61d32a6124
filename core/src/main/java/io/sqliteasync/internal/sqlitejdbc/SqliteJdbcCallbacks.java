package io.sqliteasync.internal.sqlitejdbc;

import io.sqliteasync.SqlUpdateHook;
import io.sqliteasync.internal.engine.EngineConnection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.function.Supplier;
import org.sqlite.BusyHandler;
import org.sqlite.Collation;
import org.sqlite.Function;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteUpdateListener;

/**
 * Bridges from the engine's callback interfaces to sqlite-jdbc's classes. They only convert values: arguments to
 * storage values, results back, an exception to the SQL error sqlite-jdbc reports. Everything else (context, async
 * results, codecs, recording the failure as the call's cause) the worker wrapped around the callback already.
 */
final class SqliteJdbcCallbacks {
    // sqlite3_value_type values.
    private static final int SQLITE_INTEGER = 1;
    private static final int SQLITE_FLOAT = 2;
    private static final int SQLITE_TEXT = 3;
    private static final int SQLITE_BLOB = 4;

    private SqliteJdbcCallbacks() {
    }

    static Function scalar(String name, EngineConnection.ScalarFunction fn) {
        return new ScalarBridge(name, fn);
    }

    static Function.Window window(String name, Supplier<? extends EngineConnection.AggregateFunction> factory) {
        return new WindowBridge(name, factory);
    }

    static Collation collation(Comparator<String> order) {
        return new Collation() {
            @Override
            protected int xCompare(String a, String b) {
                return order.compare(a, b);
            }
        };
    }

    static SQLiteUpdateListener update(EngineConnection.UpdateListener listener) {
        return (type, database, table, rowId) ->
                listener.onUpdate(SqlUpdateHook.Kind.valueOf(type.name()), database, table, rowId);
    }

    static SQLiteCommitListener transaction(EngineConnection.TransactionListener listener) {
        return new SQLiteCommitListener() {
            @Override
            public void onCommit() {
                listener.onCommit();
            }

            @Override
            public void onRollback() {
                listener.onRollback();
            }
        };
    }

    static BusyHandler busy(EngineConnection.BusyHandler handler) {
        return new BusyHandler() {
            @Override
            protected int callback(int attempts) {
                return handler.retry(attempts) ? 1 : 0;
            }
        };
    }

    /** sqlite-jdbc reports only an exception's message to SQLite; the worker keeps the exception itself. */
    private static SQLException failure(String name, Exception e) {
        return e instanceof SQLException ? (SQLException) e : new SQLException(e.getMessage() != null
                ? e.getMessage() : "function " + name + " failed: " + e, e);
    }

    /** Reads the arguments of the current invocation by storage class. */
    private static Object[] arguments(Access a) throws SQLException {
        int n = a.count();
        Object[] args = new Object[n];
        for (int i = 0; i < n; i++) {
            switch (a.type(i)) {
                case SQLITE_INTEGER:
                    args[i] = a.int64(i);
                    break;
                case SQLITE_FLOAT:
                    args[i] = a.float64(i);
                    break;
                case SQLITE_TEXT:
                    args[i] = a.text(i);
                    break;
                case SQLITE_BLOB:
                    byte[] b = a.blob(i);
                    args[i] = b == null ? new byte[0] : b;
                    break;
                default:
                    args[i] = null;
            }
        }
        return args;
    }

    private static void setResult(Access a, Object v) throws SQLException {
        if (v == null) {
            a.resultNull();
        } else if (v instanceof Long) {
            a.resultLong((Long) v);
        } else if (v instanceof Double) {
            a.resultDouble((Double) v);
        } else if (v instanceof String) {
            a.resultText((String) v);
        } else if (v instanceof byte[]) {
            a.resultBlob((byte[]) v);
        } else {
            throw new SQLException("not a storage value: " + v.getClass().getName());
        }
    }

    /** sqlite-jdbc's accessors of the current invocation are protected; the bridges open them up to this class. */
    private interface Access {
        int count() throws SQLException;

        int type(int i) throws SQLException;

        long int64(int i) throws SQLException;

        double float64(int i) throws SQLException;

        String text(int i) throws SQLException;

        byte[] blob(int i) throws SQLException;

        void resultNull() throws SQLException;

        void resultLong(long v) throws SQLException;

        void resultDouble(double v) throws SQLException;

        void resultText(String v) throws SQLException;

        void resultBlob(byte[] v) throws SQLException;
    }

    private static final class ScalarBridge extends Function implements Access {
        private final String name;
        private final EngineConnection.ScalarFunction fn;

        ScalarBridge(String name, EngineConnection.ScalarFunction fn) {
            this.name = name;
            this.fn = fn;
        }

        @Override
        protected void xFunc() throws SQLException {
            Object[] args = arguments(this);
            Object r;
            try {
                r = fn.apply(args);
            } catch (Exception e) {
                throw failure(name, e);
            }
            setResult(this, r);
        }

        // One-line bridges to sqlite-jdbc's protected accessors.
        @Override public int count() throws SQLException { return args(); }
        @Override public int type(int i) throws SQLException { return value_type(i); }
        @Override public long int64(int i) throws SQLException { return value_long(i); }
        @Override public double float64(int i) throws SQLException { return value_double(i); }
        @Override public String text(int i) throws SQLException { return value_text(i); }
        @Override public byte[] blob(int i) throws SQLException { return value_blob(i); }
        @Override public void resultNull() throws SQLException { result(); }
        @Override public void resultLong(long v) throws SQLException { result(v); }
        @Override public void resultDouble(double v) throws SQLException { result(v); }
        @Override public void resultText(String v) throws SQLException { result(v); }
        @Override public void resultBlob(byte[] v) throws SQLException { result(v); }
    }

    /** sqlite-jdbc clones the registered object once per group; each clone gets fresh state from the factory. */
    private static final class WindowBridge extends Function.Window implements Access {
        private final String name;
        private final Supplier<? extends EngineConnection.AggregateFunction> factory;
        private EngineConnection.AggregateFunction state;

        WindowBridge(String name, Supplier<? extends EngineConnection.AggregateFunction> factory) {
            this.name = name;
            this.factory = factory;
        }

        private EngineConnection.AggregateFunction state() {
            if (state == null) {
                state = factory.get();
            }
            return state;
        }

        @Override
        protected void xStep() throws SQLException {
            Object[] args = arguments(this);
            try {
                state().step(args);
            } catch (Exception e) {
                throw failure(name, e);
            }
        }

        @Override
        protected void xInverse() throws SQLException {
            Object[] args = arguments(this);
            try {
                state().inverse(args);
            } catch (Exception e) {
                throw failure(name, e);
            }
        }

        @Override
        protected void xValue() throws SQLException {
            Object r;
            try {
                r = state().value();
            } catch (Exception e) {
                throw failure(name, e);
            }
            setResult(this, r);
        }

        @Override
        protected void xFinal() throws SQLException {
            Object r;
            try {
                r = state().finish();
            } catch (Exception e) {
                throw failure(name, e);
            }
            setResult(this, r);
        }

        /** sqlite-jdbc fills its native fields on the registered object and clones it per group: keep them. */
        @Override
        public Object clone() throws CloneNotSupportedException {
            WindowBridge copy = (WindowBridge) super.clone();
            copy.state = null;
            return copy;
        }

        // One-line bridges to sqlite-jdbc's protected accessors.
        @Override public int count() throws SQLException { return args(); }
        @Override public int type(int i) throws SQLException { return value_type(i); }
        @Override public long int64(int i) throws SQLException { return value_long(i); }
        @Override public double float64(int i) throws SQLException { return value_double(i); }
        @Override public String text(int i) throws SQLException { return value_text(i); }
        @Override public byte[] blob(int i) throws SQLException { return value_blob(i); }
        @Override public void resultNull() throws SQLException { result(); }
        @Override public void resultLong(long v) throws SQLException { result(v); }
        @Override public void resultDouble(double v) throws SQLException { result(v); }
        @Override public void resultText(String v) throws SQLException { result(v); }
        @Override public void resultBlob(byte[] v) throws SQLException { result(v); }
    }
}
