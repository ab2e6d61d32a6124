package io.sqliteasync.internal.worker;

import io.sqliteasync.SqlAggregate;
import io.sqliteasync.SqlBusyHandler;
import io.sqliteasync.SqlCollation;
import io.sqliteasync.SqlScalarFunction;
import io.sqliteasync.SqlTransactionHook;
import io.sqliteasync.SqlUpdateHook;
import io.sqliteasync.SqlWindowFunction;
import io.sqliteasync.internal.engine.EngineConnection;
import java.util.Comparator;
import java.util.function.Supplier;

/**
 * Wraps the library's callback interfaces for an engine. Every wrapper runs on the worker thread (the engine calls
 * it from inside a statement), settles an async result through {@link ConnectionWorker#settle}, records any exception
 * with {@link ConnectionWorker#callbackFailed} so the call fails with it as the cause, and hands the engine storage
 * values only.
 */
final class Callbacks {
    private Callbacks() {
    }

    /** What a failing function reports to SQLite; the exception the user code threw is kept by the worker. */
    static final class CallbackFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        CallbackFailedException(String message) {
            super(message, null, false, false);
        }
    }

    static EngineConnection.ScalarFunction scalar(ConnectionWorker worker, String name, SqlScalarFunction fn) {
        return args -> storageValue(worker, guard(worker, name, () -> fn.apply(args)));
    }

    /** A plain aggregate used with {@code OVER (...)} fails with a message that it is not a window function. */
    static Supplier<EngineConnection.AggregateFunction> aggregate(ConnectionWorker worker, String name,
            Supplier<? extends SqlAggregate> factory) {
        return window(worker, name, () -> new SqlWindowFunction() {
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

    /** The user's state is made on the first call of each group, inside the guard, so a failing factory is reported. */
    static Supplier<EngineConnection.AggregateFunction> window(ConnectionWorker worker, String name,
            Supplier<? extends SqlWindowFunction> factory) {
        return () -> new EngineConnection.AggregateFunction() {
            private SqlWindowFunction state;

            private SqlWindowFunction state() {
                if (state == null) {
                    state = factory.get();
                }
                return state;
            }

            @Override
            public void step(Object[] args) throws Exception {
                guard(worker, name, () -> state().step(args));
            }

            @Override
            public void inverse(Object[] args) throws Exception {
                guard(worker, name, () -> state().inverse(args));
            }

            @Override
            public Object value() throws Exception {
                return storageValue(worker, guard(worker, name, () -> state().value()));
            }

            @Override
            public Object finish() throws Exception {
                return storageValue(worker, guard(worker, name, () -> state().finish()));
            }
        };
    }

    static Comparator<String> collation(ConnectionWorker worker, String name, SqlCollation collation) {
        return (a, b) -> {
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
        };
    }

    static EngineConnection.UpdateListener update(ConnectionWorker worker, SqlUpdateHook hook) {
        return (kind, database, table, rowId) -> {
            try {
                worker.inCallback(() -> hook.onUpdate(kind, database, table, rowId));
            } catch (Throwable t) {
                worker.callbackFailed(t);
            }
        };
    }

    static EngineConnection.TransactionListener transaction(ConnectionWorker worker, SqlTransactionHook onCommit,
            SqlTransactionHook onRollback) {
        return new EngineConnection.TransactionListener() {
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

    static EngineConnection.BusyHandler busy(ConnectionWorker worker, SqlBusyHandler handler) {
        return attempts -> {
            try {
                return Boolean.TRUE.equals(worker.inCallback(() -> handler.onBusy(attempts)));
            } catch (Throwable t) {
                worker.callbackFailed(t);
                return false;
            }
        };
    }

    /** Runs a function body; on failure records the cause and throws what the engine reports as the SQL error. */
    private static Object guard(ConnectionWorker worker, String name, ConnectionWorker.CallbackBody body)
            throws CallbackFailedException {
        try {
            return worker.inCallback(body);
        } catch (Throwable t) {
            worker.callbackFailed(t);
            throw new CallbackFailedException("function " + name + " failed: " + t);
        }
    }

    /** Results of other types (java.time, BigDecimal, UUID, ...) are stored the way parameters are. */
    static Object storageValue(ConnectionWorker worker, Object v) throws CallbackFailedException {
        if (v == null || v instanceof Long || v instanceof Double || v instanceof String || v instanceof byte[]) {
            return v;
        }
        if (v instanceof Integer) {
            return ((Integer) v).longValue();
        }
        Object encoded;
        try {
            encoded = worker.options().codecs().encode(v);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CallbackFailedException("unsupported function result " + v.getClass().getName() + ": "
                    + e.getMessage());
        }
        if (encoded == null || encoded instanceof Long || encoded instanceof Double || encoded instanceof String
                || encoded instanceof byte[]) {
            return encoded;
        } else if (encoded instanceof Integer || encoded instanceof Short || encoded instanceof Byte) {
            return ((Number) encoded).longValue();
        } else if (encoded instanceof Float) {
            return ((Float) encoded).doubleValue();
        } else if (encoded instanceof Boolean) {
            return (Boolean) encoded ? 1L : 0L;
        } else if (encoded instanceof Character) {
            return encoded.toString();
        }
        throw new CallbackFailedException("unsupported function result type " + encoded.getClass().getName());
    }
}
