package io.sqliteasync.internal.sql;

import java.util.AbstractList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of one SQL statement as SQLite numbers them, found from the {@link SqlToken.Type#PARAMETER}
 * tokens of its text. sqlite-jdbc binds only by index and does not expose {@code sqlite3_bind_parameter_name}, so
 * names are mapped to indexes here (https://www.sqlite.org/lang_expr.html#varparam): {@code ?NNN} is index NNN;
 * {@code ?} and each new {@code :name}, {@code @name}, {@code #name} or {@code $name} take the largest index so far
 * plus one; a repeated name reuses its index. Immutable.
 *
 * @param count the number of parameters SQLite will report (the largest index)
 * @param names for each index from 1, the name with its prefix ({@code :id}), or {@code null} for a positional one
 * @param positional whether the statement has {@code ?} or {@code ?NNN} parameters
 */
public record SqlParameters(int count, List<String> names, boolean positional) {
    /** Past SQLite's largest possible limit on parameter numbers; larger {@code ?NNN} fail to prepare anyway. */
    private static final int MAX_INDEX = 1 << 20;

    /**
     * The parameters of a statement.
     *
     * @param sql the statement's text
     * @return its parameters
     */
    public static SqlParameters parse(String sql) {
        return of(sql, SqlLexer.tokenize(sql));
    }

    /** The parameters among some tokens of a text. */
    static SqlParameters of(String sql, List<SqlToken> tokens) {
        Map<String, Integer> named = new LinkedHashMap<>();
        Map<Integer, String> byIndex = new HashMap<>();
        int max = 0;
        boolean positional = false;
        for (SqlToken t : tokens) {
            if (t.type() != SqlToken.Type.PARAMETER) {
                continue;
            }
            if (sql.charAt(t.start()) == '?') {
                positional = true;
                if (t.end() - t.start() > 1) {
                    String digits = sql.substring(t.start() + 1, t.end());
                    int index = digits.length() > 7 ? MAX_INDEX : Math.min(Integer.parseInt(digits), MAX_INDEX);
                    max = Math.max(max, index);
                } else {
                    max++;
                }
            } else {
                String name = t.text(sql);
                if (!named.containsKey(name)) {
                    named.put(name, ++max);
                    byIndex.put(max, name);
                }
            }
        }
        return new SqlParameters(max, new Names(max, byIndex), positional);
    }

    /** Whether any parameter is named. */
    public boolean hasNames() {
        if (names instanceof Names) {
            return !((Names) names).byIndex.isEmpty();
        }
        for (String n : names) {
            if (n != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Each named parameter and its index.
     *
     * @return name with prefix ({@code :id}) to 1-based index, in order of index
     */
    public Map<String, Integer> indexes() {
        Map<String, Integer> m = new LinkedHashMap<>();
        if (names instanceof Names) {
            ((Names) names).byIndex.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> m.put(e.getValue(), e.getKey()));
        } else {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i) != null) {
                    m.put(names.get(i), i + 1);
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** A list of {@code count} names, mostly {@code null}, without storing the nulls (?NNN may be large). */
    private static final class Names extends AbstractList<String> {
        private final int size;
        private final Map<Integer, String> byIndex;

        Names(int size, Map<Integer, String> byIndex) {
            this.size = size;
            this.byIndex = Map.copyOf(byIndex);
        }

        @Override
        public String get(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException(index);
            }
            return byIndex.get(index + 1);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
