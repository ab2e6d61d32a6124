package io.sqliteasync;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Maps rows to one record class through its canonical constructor. Immutable; one instance per class. */
final class RecordRowMapper<T> implements RowMapper<T> {
    private static final Map<Class<?>, RecordRowMapper<?>> MAPPERS = new ConcurrentHashMap<>();

    private final Class<T> type;
    private final RecordComponent[] components;
    /** Per component: the class to decode to ({@code X} for {@code Optional<X>}). */
    private final Class<?>[] targets;
    private final boolean[] optional;
    private final Constructor<T> constructor;

    private RecordRowMapper(Class<T> type) {
        this.type = type;
        this.components = type.getRecordComponents();
        this.targets = new Class<?>[components.length];
        this.optional = new boolean[components.length];
        Class<?>[] raw = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            raw[i] = components[i].getType();
            targets[i] = raw[i];
            if (raw[i] == Optional.class) {
                optional[i] = true;
                Type g = components[i].getGenericType();
                Type arg = g instanceof ParameterizedType ? ((ParameterizedType) g).getActualTypeArguments()[0] : null;
                targets[i] = arg instanceof Class ? (Class<?>) arg : Object.class;
            }
        }
        try {
            this.constructor = type.getDeclaredConstructor(raw);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalArgumentException("cannot use the canonical constructor of " + type.getName()
                    + " (is its package open to io.sqliteasync.core?): " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> RecordRowMapper<T> of(Class<T> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        return (RecordRowMapper<T>) MAPPERS.computeIfAbsent(type, t -> new RecordRowMapper<>(type));
    }

    @Override
    public T map(Row row) {
        int[] columns = row.metadata().recordColumns().computeIfAbsent(type, t -> resolve(row.metadata()));
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            int c = columns[i];
            Object v;
            if (optional[i]) {
                v = Optional.ofNullable(targets[i] == Object.class ? row.get(c) : row.get(c, targets[i]));
            } else {
                v = row.get(c, targets[i]);
                if (v == null && targets[i].isPrimitive()) {
                    throw new IllegalArgumentException("column " + c + " ('" + row.metadata().columnNames().get(c)
                            + "') is NULL, but component " + components[i].getName() + " of " + type.getName()
                            + " is a " + targets[i].getName());
                }
            }
            args[i] = v;
        }
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalArgumentException("the constructor of " + type.getName() + " refused the row: " + cause,
                    cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot construct " + type.getName() + ": " + e, e);
        }
    }

    private int[] resolve(RowMetadata metadata) {
        List<String> names = metadata.columnNames();
        int[] columns = new int[components.length];
        StringBuilder missing = new StringBuilder();
        for (int i = 0; i < components.length; i++) {
            String component = components[i].getName();
            int c = metadata.indexOf(component);
            if (c < 0) {
                String key = normalize(component);
                for (int j = 0; j < names.size() && c < 0; j++) {
                    if (normalize(names.get(j)).equals(key)) {
                        c = j;
                    }
                }
            }
            if (c < 0) {
                missing.append(missing.length() == 0 ? "" : ", ").append(component);
            }
            columns[i] = c;
        }
        if (missing.length() > 0) {
            throw new IllegalArgumentException("cannot map the row to " + type.getName() + ": no column for "
                    + missing + "; the row has " + names);
        }
        return columns;
    }

    /** Case and underscores ignored, so {@code user_id}, {@code USER_ID} and {@code userId} all match. */
    private static String normalize(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }
}
