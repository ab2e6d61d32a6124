package io.sqliteasync.dqlite;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The location of a database in a dqlite cluster, as {@code Database.open} and {@code AsyncConnection.open} take
 * it: {@code dqlite://host:port[,host:port...]/name[?option=value&...]}, optionally prefixed with {@code jdbc:}.
 * The addresses are seeds (one reachable member is enough: the others are learned from the cluster); the name is
 * the dqlite database. Options are those of {@link DqliteClientOptions}: {@code dialTimeout}, {@code readTimeout},
 * {@code interruptTimeout}, {@code discoveryTimeout}, {@code failoverTimeout} (durations such as {@code 500ms},
 * {@code 5s}, {@code 2m} or ISO 8601 {@code PT5S}), {@code maxMessageSize} (bytes), {@code wideParameters}
 * ({@code true}/{@code false}) and {@code clientId}. Immutable; any thread.
 *
 * @param seeds member addresses, {@code host:port} (IPv6 as {@code [::1]:9001})
 * @param database the database name
 * @param options the client settings
 */
public record DqliteUrl(List<String> seeds, String database, DqliteClientOptions options) {
    /** The URL scheme. */
    public static final String SCHEME = "dqlite";

    /**
     * Checks the parts.
     *
     * @param seeds member addresses
     * @param database the database name
     * @param options the client settings
     * @throws IllegalArgumentException when there is no seed, a seed is not {@code host:port} or the name is empty
     */
    public DqliteUrl {
        seeds = List.copyOf(Objects.requireNonNull(seeds, "seeds"));
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(options, "options");
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a dqlite URL needs at least one host:port address");
        }
        for (String seed : seeds) {
            DqliteProtocolConnection.parseAddress(seed);
        }
        if (database.isEmpty() || database.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a dqlite database name must be non-empty text without NUL characters");
        }
    }

    /**
     * A location with default options.
     *
     * @param seeds member addresses
     * @param database the database name
     * @return the location
     */
    public static DqliteUrl of(List<String> seeds, String database) {
        return new DqliteUrl(seeds, database, DqliteClientOptions.defaults());
    }

    /**
     * Parses a URL.
     *
     * @param url {@code dqlite://host:port,host:port/name?option=value}, with or without {@code jdbc:}
     * @return the location
     * @throws IllegalArgumentException naming what is wrong: another scheme, no address, no database name, an
     *     unknown option or a value it cannot read
     */
    public static DqliteUrl parse(String url) {
        Objects.requireNonNull(url, "url");
        String rest = url.regionMatches(true, 0, "jdbc:", 0, 5) ? url.substring(5) : url;
        if (!rest.regionMatches(true, 0, SCHEME + "://", 0, SCHEME.length() + 3)) {
            throw new IllegalArgumentException("not a dqlite URL (dqlite://host:port,host:port/name): '" + url + "'");
        }
        rest = rest.substring(SCHEME.length() + 3);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("a dqlite URL names the database after the addresses"
                    + " (dqlite://host:port,host:port/name): '" + url + "'");
        }
        String name = URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8);
        List<String> seeds = new ArrayList<>();
        for (String s : rest.substring(0, slash).split(",")) {
            if (!s.isBlank()) {
                try {
                    DqliteProtocolConnection.parseAddress(s.strip());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage() + " in dqlite URL '" + url + "'", e);
                }
                seeds.add(s.strip());
            }
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a dqlite URL needs at least one host:port address: '" + url + "'");
        }
        DqliteClientOptions.Builder b = DqliteClientOptions.builder();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("option without a value in dqlite URL: '" + pair + "'");
                }
                option(b, pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return new DqliteUrl(seeds, name, b.build());
    }

    private static void option(DqliteClientOptions.Builder b, String name, String value) {
        try {
            switch (name) {
                case "dialTimeout" -> b.dialTimeout(duration(value));
                case "readTimeout" -> b.readTimeout(duration(value));
                case "interruptTimeout" -> b.interruptTimeout(duration(value));
                case "discoveryTimeout" -> b.discoveryTimeout(duration(value));
                case "failoverTimeout" -> b.failoverTimeout(duration(value));
                case "maxMessageSize" -> b.maxMessageSize(Integer.parseInt(value));
                case "wideParameters" -> b.wideParameters(bool(value));
                case "clientId" -> b.clientId(Long.parseLong(value));
                default -> throw new IllegalArgumentException("unknown dqlite URL option '" + name + "' (known:"
                        + " dialTimeout, readTimeout, interruptTimeout, discoveryTimeout, failoverTimeout,"
                        + " maxMessageSize, wideParameters, clientId)");
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("dqlite URL option " + name + ": cannot read '" + value + "'", e);
        }
    }

    private static boolean bool(String v) {
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new NumberFormatException("not true or false: " + v);
    }

    /** {@code 250ms}, {@code 5s}, {@code 2m}, a number of milliseconds, or ISO 8601 ({@code PT5S}). */
    static Duration duration(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("pt")) {
            return Duration.parse(s.toUpperCase(Locale.ROOT));
        }
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (s.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
        }
        if (s.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
        }
        return Duration.ofMillis(Long.parseLong(s));
    }

    /**
     * The URL text, with every option that differs from the default, which {@link #parse} reads back to an equal
     * location.
     *
     * @return for example {@code dqlite://127.0.0.1:9001,127.0.0.1:9002/app?failoverTimeout=10000ms}
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(SCHEME).append("://").append(String.join(",", seeds)).append('/')
                .append(URLEncoder.encode(database, StandardCharsets.UTF_8));
        DqliteClientOptions d = DqliteClientOptions.defaults();
        List<String> opts = new ArrayList<>();
        addIf(opts, "dialTimeout", options.dialTimeout(), d.dialTimeout());
        addIf(opts, "readTimeout", options.readTimeout(), d.readTimeout());
        addIf(opts, "interruptTimeout", options.interruptTimeout(), d.interruptTimeout());
        addIf(opts, "discoveryTimeout", options.discoveryTimeout(), d.discoveryTimeout());
        addIf(opts, "failoverTimeout", options.failoverTimeout(), d.failoverTimeout());
        if (options.maxMessageSize() != d.maxMessageSize()) {
            opts.add("maxMessageSize=" + options.maxMessageSize());
        }
        if (options.wideParameters()) {
            opts.add("wideParameters=true");
        }
        if (options.clientId() != d.clientId()) {
            opts.add("clientId=" + options.clientId());
        }
        if (!opts.isEmpty()) {
            sb.append('?').append(String.join("&", opts));
        }
        return sb.toString();
    }

    private static void addIf(List<String> opts, String name, Duration v, Duration def) {
        if (!v.equals(def)) {
            opts.add(name + "=" + v.toMillis() + "ms");
        }
    }
}
