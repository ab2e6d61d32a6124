package io.sqliteasync.internal.worker;

import io.sqliteasync.SqlAggregate;
import io.sqliteasync.SqlBusyHandler;
import io.sqliteasync.SqlCollation;
import io.sqliteasync.SqlScalarFunction;
import io.sqliteasync.SqlTransactionHook;
import io.sqliteasync.SqlUpdateHook;
import io.sqliteasync.SqlWindowFunction;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.sqlite.BusyHandler;
import org.sqlite.Collation;
import org.sqlite.Function;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteUpdateListener;

/**
 * Adapters from the library's callback interfaces to sqlite-jdbc's. Every adapter runs on the worker thread (SQLite
 * calls it from inside a statement), settles an async result through {@link ConnectionWorker#settle}, and records any
 * exception with {@link ConnectionWorker#callbackFailed} so the call fails with it as the cause.
 */
final class Callbacks {
    private static final int SQLITE_INTEGER = 1;
    private static final int SQLITE_FLOAT = 2;
    private static final int SQLITE_TEXT = 3;
    private static final int SQLITE_BLOB = 4;

    private Callbacks() {
    }

    static Function scalar(ConnectionWorker worker, String name, SqlScalarFunction fn) {
        return new ScalarAdapter(worker, name, fn);
    }

    /**
     * A plain aggregate is registered through the window adapter; used with {@code OVER (...)} it fails with a
     * message that it is not a window function.
     */
    static Function.Window aggregate(ConnectionWorker worker, String name, Supplier<? extends SqlAggregate> factory) {
        return new WindowAdapter(worker, name, () -> new SqlWindowFunction() {
            private final SqlAggregate delegate = factory.get();

            @Override
            public Object step(Object[] args) throws Exception {
                return delegate.step(args);
            }

            @Override
            public Object finish() throws Exception {
                return delegate.finish();
            }

            @Override
            public Object inverse(Object[] args) {
                throw new UnsupportedOperationException(name + " is an aggregate, not a window function");
            }

            @Override
            public Object value() {
                throw new UnsupportedOperationException(name + " is an aggregate, not a window function");
            }
        });
    }

    static Function.Window window(ConnectionWorker worker, String name, Supplier<? extends SqlWindowFunction> factory) {
        return new WindowAdapter(worker, name, factory);
    }

    static Collation collation(ConnectionWorker worker, String name, SqlCollation collation) {
        return new Collation() {
            @Override
            protected int xCompare(String a, String b) {
                try {
                    Object r = worker.inCallback(() -> collation.compare(a, b));
                    if (!(r instanceof Number)) {
                        throw new IllegalStateException("collation " + name + " returned "
                                + (r == null ? "null" : r.getClass().getName()) + " instead of an Integer");
                    }
                    return Integer.signum(((Number) r).intValue());
                } catch (Throwable t) {
                    worker.callbackFailed(t);
                    return 0;
                }
            }
        };
    }

    static SQLiteUpdateListener update(ConnectionWorker worker, SqlUpdateHook hook) {
        return (type, database, table, rowId) -> {
            SqlUpdateHook.Kind kind = SqlUpdateHook.Kind.valueOf(type.name());
            try {
                worker.inCallback(() -> hook.onUpdate(kind, database, table, rowId));
            } catch (Throwable t) {
                worker.callbackFailed(t);
            }
        };
    }

    static SQLiteCommitListener transaction(ConnectionWorker worker, SqlTransactionHook onCommit,
            SqlTransactionHook onRollback) {
        return new SQLiteCommitListener() {
            @Override
            public void onCommit() {
                fire(worker, onCommit);
            }

            @Override
            public void onRollback() {
                fire(worker, onRollback);
            }
        };
    }

    private static void fire(ConnectionWorker worker, SqlTransactionHook hook) {
        if (hook == null) {
            return;
        }
        try {
            worker.inCallback(hook::onEvent);
        } catch (Throwable t) {
            worker.callbackFailed(t);
        }
    }

    static BusyHandler busy(ConnectionWorker worker, SqlBusyHandler handler) {
        return new BusyHandler() {
            @Override
            protected int callback(int attempts) {
                try {
                    Object r = worker.inCallback(() -> handler.onBusy(attempts));
                    return Boolean.TRUE.equals(r) ? 1 : 0;
                } catch (Throwable t) {
                    worker.callbackFailed(t);
                    return 0;
                }
            }
        };
    }

    /** Runs a function body; on failure records the cause and throws what sqlite-jdbc reports as the SQL error. */
    private static Object guard(ConnectionWorker worker, String name, ConnectionWorker.CallbackBody body)
            throws SQLException {
        try {
            return worker.inCallback(body);
        } catch (Throwable t) {
            worker.callbackFailed(t);
            throw new SQLException("function " + name + " failed: " + t);
        }
    }

    /** Values and results of one function invocation; implemented by the adapters over sqlite-jdbc's protected API. */
    interface Access {
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

    static Object[] arguments(Access f) throws SQLException {
        int n = f.count();
        Object[] args = new Object[n];
        for (int i = 0; i < n; i++) {
            switch (f.type(i)) {
                case SQLITE_INTEGER:
                    args[i] = f.int64(i);
                    break;
                case SQLITE_FLOAT:
                    args[i] = f.float64(i);
                    break;
                case SQLITE_TEXT:
                    args[i] = f.text(i);
                    break;
                case SQLITE_BLOB:
                    byte[] b = f.blob(i);
                    args[i] = b == null ? new byte[0] : b;
                    break;
                default:
                    args[i] = null;
            }
        }
        return args;
    }

    static void setResult(ConnectionWorker worker, Access f, Object v) throws SQLException {
        if (v == null || v instanceof Long || v instanceof Integer || v instanceof Double || v instanceof String
                || v instanceof byte[]) {
            setResult(f, v);
            return;
        }
        Object encoded;
        try {
            // Results of other types (java.time, BigDecimal, UUID, ...) are stored the way parameters are.
            encoded = worker.options().codecs().encode(v);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new SQLException("unsupported function result " + v.getClass().getName() + ": " + e.getMessage());
        }
        setResult(f, encoded);
    }

    static void setResult(Access f, Object v) throws SQLException {
        if (v == null) {
            f.resultNull();
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            f.resultLong(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            f.resultDouble(((Number) v).doubleValue());
        } else if (v instanceof String) {
            f.resultText((String) v);
        } else if (v instanceof byte[]) {
            f.resultBlob((byte[]) v);
        } else if (v instanceof Boolean) {
            f.resultLong((Boolean) v ? 1L : 0L);
        } else if (v instanceof Character) {
            f.resultText(v.toString());
        } else {
            throw new SQLException("unsupported function result type " + v.getClass().getName());
        }
    }

    private static final class ScalarAdapter extends Function implements Access {
        private final ConnectionWorker worker;
        private final String name;
        private final SqlScalarFunction fn;

        ScalarAdapter(ConnectionWorker worker, String name, SqlScalarFunction fn) {
            this.worker = worker;
            this.name = name;
            this.fn = fn;
        }

        @Override
        protected void xFunc() throws SQLException {
            Object[] args = arguments(this);
            setResult(worker, this, guard(worker, name, () -> fn.apply(args)));
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

    /** sqlite-jdbc clones the registered aggregate once per group; each clone gets fresh user state. */
    private static final class WindowAdapter extends Function.Window implements Access {
        private final ConnectionWorker worker;
        private final String name;
        private final Supplier<? extends SqlWindowFunction> factory;
        private SqlWindowFunction state;

        WindowAdapter(ConnectionWorker worker, String name, Supplier<? extends SqlWindowFunction> factory) {
            this.worker = worker;
            this.name = name;
            this.factory = factory;
        }

        private SqlWindowFunction state() {
            if (state == null) {
                state = factory.get();
            }
            return state;
        }

        @Override
        protected void xStep() throws SQLException {
            Object[] args = arguments(this);
            guard(worker, name, () -> state().step(args));
        }

        @Override
        protected void xInverse() throws SQLException {
            Object[] args = arguments(this);
            guard(worker, name, () -> state().inverse(args));
        }

        @Override
        protected void xValue() throws SQLException {
            setResult(worker, this, guard(worker, name, () -> state().value()));
        }

        @Override
        protected void xFinal() throws SQLException {
            setResult(worker, this, guard(worker, name, () -> state().finish()));
        }

        /** sqlite-jdbc fills its native fields on the registered object and clones it per group: keep them. */
        @Override
        public Object clone() throws CloneNotSupportedException {
            WindowAdapter copy = (WindowAdapter) super.clone();
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
