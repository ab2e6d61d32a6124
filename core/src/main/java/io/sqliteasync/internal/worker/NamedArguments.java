package io.sqliteasync.internal.worker;

import io.sqliteasync.SqliteException;
import io.sqliteasync.codec.CodecRegistry;
import io.sqliteasync.internal.sql.SqlParameters;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns one named-argument source (a {@link Map}, a record or a bean) into positional arguments for a statement's
 * named parameters ({@link SqlParameters}). A parameter {@code :user_id} (or {@code @user_id}, {@code #user_id},
 * {@code $user_id}) takes the map key
 * {@code user_id} (or {@code :user_id}), or the record component or bean property {@code user_id}, {@code userId}
 * or any spelling equal ignoring case and underscores. Every parameter must find a value; every map key must be
 * used (record components and bean properties may go unused: an object usually has more fields than one statement
 * needs).
 */
final class NamedArguments {
    private static final Map<Class<?>, Map<String, Method>> ACCESSORS = new ConcurrentHashMap<>();

    private NamedArguments() {
    }

    /** Whether a lone argument is a source of named values rather than the value of one parameter. */
    static boolean isSource(Object v, CodecRegistry codecs) {
        // A record with a codec (a value type such as Money) is the value of one parameter, not a source.
        return v instanceof Map || (v instanceof Record && !codecs.canEncode(v.getClass()))
                || (v != null && !v.getClass().isArray() && !(v instanceof Iterable) && !codecs.canEncode(v.getClass()));
    }

    static Object[] positional(SqlParameters params, Object source, String sql, String where) {
        if (params.positional()) {
            throw new SqliteException("the statement mixes positional (?) and named parameters " + named(params)
                    + "; bind named parameters from a Map or record only when all parameters are named, or pass"
                    + " every value by position" + where, SqliteException.SQLITE_RANGE, sql, null);
        }
        Object[] args = new Object[params.count()];
        Set<String> missing = new LinkedHashSet<>();
        if (source instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) source;
            Set<Object> unused = new LinkedHashSet<>(map.keySet());
            for (int i = 0; i < args.length; i++) {
                String name = params.names().get(i);
                String bare = name.substring(1);
                if (map.containsKey(bare)) {
                    args[i] = map.get(bare);
                    unused.remove(bare);
                } else if (map.containsKey(name)) {
                    args[i] = map.get(name);
                    unused.remove(name);
                } else {
                    missing.add(name);
                }
            }
            if (!missing.isEmpty() || !unused.isEmpty()) {
                throw new SqliteException((missing.isEmpty() ? "" : "named parameters missing from the map: "
                        + String.join(", ", missing)) + (missing.isEmpty() || unused.isEmpty() ? "" : "; ")
                        + (unused.isEmpty() ? "" : "map keys that match no parameter: " + unused)
                        + "; the statement takes " + named(params) + where, SqliteException.SQLITE_RANGE, sql, null);
            }
            return args;
        }
        Map<String, Method> accessors = ACCESSORS.computeIfAbsent(source.getClass(), NamedArguments::accessors);
        for (int i = 0; i < args.length; i++) {
            String name = params.names().get(i);
            Method m = accessors.get(normalize(name.substring(1)));
            if (m == null) {
                missing.add(name);
                continue;
            }
            try {
                args[i] = m.invoke(source);
            } catch (InvocationTargetException e) {
                throw new SqliteException("reading " + m.getName() + "() for parameter " + name + " failed: "
                        + e.getCause(), SqliteException.SQLITE_MISMATCH, sql, e.getCause());
            } catch (IllegalAccessException | RuntimeException e) {
                throw new SqliteException("cannot read " + m.getName() + "() of " + source.getClass().getName()
                        + " for parameter " + name + ": " + e, SqliteException.SQLITE_MISMATCH, sql, e);
            }
        }
        if (!missing.isEmpty()) {
            throw new SqliteException("named parameters missing from " + source.getClass().getName() + ": "
                    + String.join(", ", missing) + "; it has " + new ArrayList<>(accessors.values().stream()
                    .map(Method::getName).sorted().toList()) + "; the statement takes " + named(params) + where,
                    SqliteException.SQLITE_RANGE, sql, null);
        }
        return args;
    }

    private static String named(SqlParameters params) {
        List<String> names = new ArrayList<>();
        for (String n : params.names()) {
            if (n != null) {
                names.add(n);
            }
        }
        return names.toString();
    }

    private static Map<String, Method> accessors(Class<?> type) {
        Map<String, Method> found = new HashMap<>();
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                Method m = c.getAccessor();
                trySetAccessible(m);
                found.put(normalize(c.getName()), m);
            }
            return found;
        }
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String n = m.getName();
            String property = null;
            if (n.startsWith("get") && n.length() > 3) {
                property = n.substring(3);
            } else if (n.startsWith("is") && n.length() > 2
                    && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
                property = n.substring(2);
            }
            if (property != null) {
                trySetAccessible(m);
                found.putIfAbsent(normalize(property), m);
            }
        }
        return found;
    }

    private static void trySetAccessible(Method m) {
        try {
            m.setAccessible(true);
        } catch (RuntimeException e) {
            // Public accessors of public classes work without it; others then fail with a clear message on use.
        }
    }

    private static String normalize(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }
}
