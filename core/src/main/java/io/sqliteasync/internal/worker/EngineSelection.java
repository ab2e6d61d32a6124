package io.sqliteasync.internal.worker;

import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.Engine;
import io.sqliteasync.internal.engine.EngineProvider;
import io.sqliteasync.internal.sqlitejdbc.SqliteJdbcEngine;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the engine for a database location. A location of the form {@code scheme://...} (or
 * {@code jdbc:scheme://...}) with a scheme other than {@code file} is served by the {@link EngineProvider} of that
 * scheme; everything else (paths, {@code :memory:}, {@code file:} URIs) by sqlite-jdbc, without any lookup.
 * Any thread.
 */
final class EngineSelection {
    /** Artifacts that provide the engines of the schemes the library knows, for the message when one is missing. */
    private static final Map<String, String> ARTIFACTS = Map.of("dqlite", "io.sqliteasync:sqlite-async-dqlite");
    /** Providers found so far, by scheme; filled on first use of a scheme. */
    private static final Map<String, Engine> ENGINES = new ConcurrentHashMap<>();

    private EngineSelection() {
    }

    /**
     * The engine for a location.
     *
     * @param location the path or URL given to {@code open}
     * @return the engine
     * @throws SqliteException with {@code SQLITE_CANTOPEN} when the location names a scheme no engine on the class
     *     path (or module path) serves
     */
    static Engine forLocation(String location) {
        String scheme = scheme(location);
        if (scheme == null) {
            return SqliteJdbcEngine.INSTANCE;
        }
        Engine e = ENGINES.get(scheme);
        if (e == null) {
            e = load(scheme);
            if (e == null) {
                String artifact = ARTIFACTS.get(scheme);
                throw new SqliteException("no engine for '" + scheme + "://' locations is on the class path or module"
                        + " path" + (artifact != null ? ": add the artifact " + artifact + " (sqlite-async-"
                        + scheme + ")" : "; known schemes: " + ARTIFACTS.keySet() + ", and plain file paths"),
                        SqliteException.SQLITE_CANTOPEN, null, null);
            }
            ENGINES.putIfAbsent(scheme, e);
        }
        return e;
    }

    /**
     * The scheme of a URL location, or {@code null} for a path, {@code :memory:} or a {@code file:} URI.
     *
     * @param location the location
     * @return the scheme in lower case, without {@code jdbc:}
     */
    static String scheme(String location) {
        int sep = location.indexOf("://");
        if (sep <= 0) {
            return null;
        }
        int from = location.regionMatches(true, 0, "jdbc:", 0, 5) ? 5 : 0;
        if (sep <= from || !Character.isLetter(location.charAt(from))) {
            return null;
        }
        for (int i = from + 1; i < sep; i++) {
            char c = location.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                return null;
            }
        }
        String scheme = location.substring(from, sep).toLowerCase(Locale.ROOT);
        return scheme.equals("file") ? null : scheme;
    }

    private static Engine load(String scheme) {
        Engine e = find(ServiceLoader.load(EngineProvider.class, EngineProvider.class.getClassLoader()), scheme);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (e == null && context != null) {
            e = find(ServiceLoader.load(EngineProvider.class, context), scheme);
        }
        return e;
    }

    private static Engine find(ServiceLoader<EngineProvider> loader, String scheme) {
        for (EngineProvider p : loader) {
            if (p.scheme().equalsIgnoreCase(scheme)) {
                return p.engine();
            }
        }
        return null;
    }
}
