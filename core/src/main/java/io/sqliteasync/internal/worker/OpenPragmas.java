package io.sqliteasync.internal.worker;

import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.EngineConnection;
import io.sqliteasync.internal.engine.EngineStatement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs the pragmas of {@code ConnectionOptions} on a newly opened connection and checks that SQLite did what was
 * asked. SQLite ignores what it does not understand: an unknown pragma name, a journal mode it does not know
 * ({@code journal_mode = BANANA} answers the current mode), a boolean it cannot read. Each pragma is checked by its
 * kind (https://www.sqlite.org/pragma.html):
 * <ul>
 *   <li>the name must be one SQLite knows ({@code pragma_pragma_list});</li>
 *   <li>{@code journal_mode} and {@code locking_mode} answer the mode now in force, which must be the one asked
 *       for; an in-memory database keeps its journal in memory whatever is asked (except {@code OFF}), so
 *       {@code memory} is accepted there;</li>
 *   <li>boolean pragmas ({@code foreign_keys}, {@code query_only}, ...), {@code synchronous}, {@code temp_store}
 *       and integer pragmas ({@code cache_size}, {@code user_version}, {@code busy_timeout}, ...) answer nothing
 *       when set, so they are read back and compared as numbers ({@code ON}, {@code true}, {@code yes} and
 *       {@code 1} are the same; {@code NORMAL} is 1);</li>
 *   <li>everything else runs unchecked: {@code auto_vacuum} and {@code page_size}, for example, take effect only on
 *       an empty database or after {@code VACUUM}, so a different answer is not an error.</li>
 * </ul>
 */
final class OpenPragmas {
    private static final List<String> JOURNAL_MODES = List.of("delete", "truncate", "persist", "memory", "wal", "off");
    private static final List<String> LOCKING_MODES = List.of("normal", "exclusive");
    private static final Set<String> BOOLEANS = Set.of("foreign_keys", "recursive_triggers", "query_only",
            "reverse_unordered_selects", "cell_size_check", "checkpoint_fullfsync", "fullfsync",
            "defer_foreign_keys", "ignore_check_constraints", "legacy_alter_table", "trusted_schema",
            "automatic_index", "read_uncommitted");
    /** Integer pragmas SQLite stores as given (limits it may cap, such as {@code threads}, are not checked). */
    private static final Set<String> INTEGERS = Set.of("cache_size", "user_version", "application_id",
            "busy_timeout", "wal_autocheckpoint", "journal_size_limit", "analysis_limit");

    private OpenPragmas() {
    }

    /**
     * Runs and checks the pragmas, in order.
     *
     * @param c the connection
     * @param pragmas name to value
     * @param managed lower-case names of pragmas the engine manages itself, skipped
     * @throws SqliteException naming the pragma, the value asked for and SQLite's answer
     */
    static void apply(EngineConnection c, Map<String, String> pragmas, Set<String> managed) {
        for (Map.Entry<String, String> p : pragmas.entrySet()) {
            String name = p.getKey();
            String value = p.getValue();
            String lower = name.toLowerCase(Locale.ROOT);
            if (managed.contains(lower.substring(lower.lastIndexOf('.') + 1))) {
                continue;
            }
            if (value.indexOf(';') >= 0) {
                throw new SqliteException("pragma value for " + name + " contains ';': " + value);
            }
            String sql = "PRAGMA " + name + " = " + value;
            String key = name.toLowerCase(Locale.ROOT);
            // A schema-qualified name (main.journal_mode) is looked up by its last part.
            String bare = key.substring(key.lastIndexOf('.') + 1);
            if (!known(c, bare)) {
                throw new SqliteException(sql + ": SQLite has no pragma named '" + bare + "', and would ignore it",
                        SqliteException.SQLITE_ERROR, null, null);
            }
            Object answer = first(c, sql);
            String asked = unquote(value).toLowerCase(Locale.ROOT);
            if (bare.equals("journal_mode")) {
                checkMode(c, sql, asked, answer, JOURNAL_MODES);
            } else if (bare.equals("locking_mode")) {
                checkMode(c, sql, asked, answer, LOCKING_MODES);
            } else if (BOOLEANS.contains(bare) || bare.equals("synchronous") || bare.equals("temp_store")
                    || INTEGERS.contains(bare)) {
                Long wanted = number(bare, asked);
                Object now = first(c, "PRAGMA " + name);
                if (wanted == null || !(now instanceof Long) || normalise(bare, (Long) now) != wanted) {
                    throw mismatch(sql, now, wanted == null ? " ('" + value + "' is not a value "
                            + bare + " accepts)" : "");
                }
            }
        }
    }

    private static void checkMode(EngineConnection c, String sql, String asked, Object answer, List<String> modes) {
        String got = answer instanceof String ? ((String) answer).toLowerCase(Locale.ROOT) : null;
        if (!modes.contains(asked)) {
            throw mismatch(sql, answer, " (it accepts " + String.join(", ", modes).toUpperCase(Locale.ROOT) + ")");
        }
        if (asked.equals(got)) {
            return;
        }
        if ("memory".equals(got) && !asked.equals("off") && inMemory(c)) {
            // https://www.sqlite.org/pragma.html#pragma_journal_mode: an in-memory database's journal mode is
            // MEMORY or OFF; any other request leaves MEMORY.
            return;
        }
        throw mismatch(sql, answer, asked.equals("wal") ? " (WAL needs a writable file database and a VFS with"
                + " shared memory; a read-only connection cannot switch the file to WAL)" : "");
    }

    private static SqliteException mismatch(String sql, Object answer, String why) {
        return new SqliteException(sql + ": SQLite answered " + (answer == null ? "nothing" : "'" + answer + "'")
                + why, SqliteException.SQLITE_ERROR, null, null);
    }

    /** Boolean pragmas read 0 or 1; the rest as the integer they store. */
    private static long normalise(String pragma, long v) {
        return BOOLEANS.contains(pragma) ? (v != 0 ? 1 : 0) : v;
    }

    /** What a setting means as the number SQLite reports, or {@code null} if SQLite would not understand it. */
    private static Long number(String pragma, String v) {
        Long n = parseLong(v);
        if (BOOLEANS.contains(pragma)) {
            if (n != null) {
                return n != 0 ? 1L : 0L;
            }
            switch (v) {
                case "on": case "yes": case "true": return 1L;
                case "off": case "no": case "false": return 0L;
                default: return null;
            }
        }
        if (pragma.equals("synchronous")) {
            if (n != null) {
                return n >= 0 && n <= 3 ? n : null;
            }
            switch (v) {
                case "off": case "no": case "false": return 0L;
                case "normal": return 1L;
                case "full": case "on": case "yes": case "true": return 2L;
                case "extra": return 3L;
                default: return null;
            }
        }
        if (pragma.equals("temp_store")) {
            if (n != null) {
                return n >= 0 && n <= 2 ? n : null;
            }
            switch (v) {
                case "default": return 0L;
                case "file": return 1L;
                case "memory": return 2L;
                default: return null;
            }
        }
        return n;
    }

    private static Long parseLong(String v) {
        try {
            return Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String unquote(String v) {
        String s = v.strip();
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static boolean known(EngineConnection c, String name) {
        EngineStatement s = c.prepare("SELECT count(*) FROM pragma_pragma_list WHERE name = ?");
        try {
            s.bind(1, name);
            return s.start() && Long.valueOf(1L).equals(firstColumn(s));
        } catch (SqliteException e) {
            // A build without the introspection pragmas cannot tell: run the pragma unchecked.
            return true;
        } finally {
            s.close();
        }
    }

    private static boolean inMemory(EngineConnection c) {
        Object file = first(c, "SELECT file FROM pragma_database_list WHERE name = 'main'");
        return file == null || "".equals(file);
    }

    /** The first column of the first row a statement returns, or {@code null} when it returns none. */
    private static Object first(EngineConnection c, String sql) {
        EngineStatement s = c.prepare(sql);
        try {
            return s.start() ? firstColumn(s) : null;
        } finally {
            s.close();
        }
    }

    private static Object firstColumn(EngineStatement s) {
        Object[] row = new Object[1];
        s.fetch(values -> row[0] = values[0], 1);
        s.reset();
        return row[0];
    }
}
