package io.sqliteasync.r2dbc;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The options of the driver name {@code dqlite}: the same driver over a dqlite cluster (needs
 * {@code io.sqliteasync:sqlite-async-dqlite} at run time). The members come from {@code HOST} and {@code PORT}
 * plus {@link #NODES}; {@code HOST} may itself list {@code host:port,host:port}, which is what the SPI's URL parser
 * makes of {@code r2dbc:dqlite://10.0.0.1:9001,10.0.0.2:9001/app}. {@code DATABASE} is the dqlite database name.
 * The client options below go into the engine's {@code dqlite://} location; their form is checked when the factory
 * is made, the rest (a size the client refuses, say) when the database opens on the first {@code create()}. Every
 * option of {@link SqliteOptions} applies as well. Constants only; any thread.
 */
public final class DqliteOptions {
    /**
     * More members: {@code host:port,host:port} text or a {@code Collection} of {@code host:port} strings. Each
     * member is a seed: one reachable one is enough, the others are learned from the cluster.
     */
    public static final Option<Object> NODES = Option.valueOf("nodes");
    /** Timeout of one TCP connect ({@link Duration}, milliseconds, or text such as {@code 5s}; default 5 s). */
    public static final Option<Object> DIAL_TIMEOUT = Option.valueOf("dialTimeout");
    /** Longest wait for one answer of a node (as {@link #DIAL_TIMEOUT}; default 30 s). */
    public static final Option<Object> READ_TIMEOUT = Option.valueOf("readTimeout");
    /** Longest wait for a node to confirm an interrupt (as {@link #DIAL_TIMEOUT}; default 10 s). */
    public static final Option<Object> INTERRUPT_TIMEOUT = Option.valueOf("interruptTimeout");
    /** Longest search for the leader when a connection opens (as {@link #DIAL_TIMEOUT}; default 30 s). */
    public static final Option<Object> DISCOVERY_TIMEOUT = Option.valueOf("discoveryTimeout");
    /** Longest pause of a call while a new leader is elected (as {@link #DIAL_TIMEOUT}; default 30 s). */
    public static final Option<Object> FAILOVER_TIMEOUT = Option.valueOf("failoverTimeout");
    /** Largest message accepted from a node, in bytes (an integer). */
    public static final Option<Object> MAX_MESSAGE_SIZE = Option.valueOf("maxMessageSize");
    /** Send parameters in the wide format, for more than 255 of them ({@code true}/{@code false}). */
    public static final Option<Object> WIDE_PARAMETERS = Option.valueOf("wideParameters");
    /** The client id sent when registering with a node (a long). */
    public static final Option<Object> CLIENT_ID = Option.valueOf("clientId");

    private static final List<Option<Object>> DURATIONS = List.of(DIAL_TIMEOUT, READ_TIMEOUT, INTERRUPT_TIMEOUT,
            DISCOVERY_TIMEOUT, FAILOVER_TIMEOUT);
    private static final List<Option<Object>> PLAIN = List.of(MAX_MESSAGE_SIZE, WIDE_PARAMETERS, CLIENT_ID);

    private DqliteOptions() {
    }

    /**
     * The core location for R2DBC options of the driver {@code dqlite}.
     *
     * @param options the options
     * @return {@code dqlite://host:port,.../name?option=value...}
     * @throws IllegalArgumentException when no member or no database is given, a member has no port, a client
     *     option cannot be read, or TLS or a user is asked for (dqlite's protocol has neither)
     */
    static String location(ConnectionFactoryOptions options) {
        if (Boolean.TRUE.equals(options.getValue(ConnectionFactoryOptions.SSL))) {
            throw new IllegalArgumentException("the dqlite driver has no TLS (r2dbcs: or SSL=true): dqlite's wire"
                    + " protocol is plain TCP; use r2dbc:dqlite://");
        }
        if (options.getValue(ConnectionFactoryOptions.USER) != null
                || options.getValue(ConnectionFactoryOptions.PASSWORD) != null) {
            throw new IllegalArgumentException("the dqlite driver takes no USER or PASSWORD: dqlite's wire protocol"
                    + " has no authentication");
        }
        Object portValue = options.getValue(ConnectionFactoryOptions.PORT);
        Integer port = portValue == null ? null : SqliteOptions.integer(portValue, "port");
        List<String> members = new ArrayList<>();
        Object host = options.getValue(ConnectionFactoryOptions.HOST);
        if (host != null) {
            addMembers(members, host.toString(), port, "HOST");
        }
        Object nodes = options.getValue(NODES);
        if (nodes instanceof Collection) {
            for (Object n : (Collection<?>) nodes) {
                addMembers(members, String.valueOf(n), port, "nodes");
            }
        } else if (nodes != null) {
            addMembers(members, nodes.toString(), port, "nodes");
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("the dqlite driver needs at least one member: HOST and PORT, HOST as"
                    + " host:port,host:port, or the option nodes (URL r2dbc:dqlite://host:port,host:port/database)");
        }
        Object db = options.getValue(ConnectionFactoryOptions.DATABASE);
        if (db == null || db.toString().isBlank()) {
            throw new IllegalArgumentException("the DATABASE option is required: the dqlite database name (URL"
                    + " r2dbc:dqlite://host:port,host:port/database)");
        }
        StringBuilder sb = new StringBuilder("dqlite://").append(String.join(",", members)).append('/')
                .append(URLEncoder.encode(db.toString(), StandardCharsets.UTF_8));
        char sep = '?';
        for (Option<Object> o : DURATIONS) {
            Object v = options.getValue(o);
            if (v != null) {
                sb.append(sep).append(o.name()).append('=')
                        .append(URLEncoder.encode(duration(v, o.name()), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        for (Option<Object> o : PLAIN) {
            Object v = options.getValue(o);
            if (v != null) {
                sb.append(sep).append(o.name()).append('=')
                        .append(URLEncoder.encode(plain(v, o), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        return sb.toString();
    }

    /** A duration as the engine's location reads it: {@code 500ms}, {@code 10s}, {@code 2m}, {@code PT10S}. */
    private static String duration(Object v, String name) {
        if (v instanceof Duration) {
            return ((Duration) v).toMillis() + "ms";
        }
        if (v instanceof Number) {
            return ((Number) v).longValue() + "ms";
        }
        String text = v.toString().strip();
        if (text.matches("(?i)\\d+(ms|s|m)?")) {
            return text;
        }
        try {
            Duration.parse(text.toUpperCase(java.util.Locale.ROOT));
            return text;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("option " + name + " needs a duration (500ms, 10s, 2m, PT10S or"
                    + " milliseconds), was '" + text + "'", e);
        }
    }

    private static String plain(Object v, Option<Object> o) {
        String text = v.toString().strip();
        try {
            if (o == WIDE_PARAMETERS) {
                if (!(text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
                    throw new IllegalArgumentException("not true or false");
                }
            } else if (o == MAX_MESSAGE_SIZE) {
                Integer.parseInt(text);
            } else {
                Long.parseLong(text);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option " + o.name() + " needs "
                    + (o == WIDE_PARAMETERS ? "true or false" : o == MAX_MESSAGE_SIZE ? "an integer" : "a long")
                    + ", was '" + text + "'", e);
        }
        return text;
    }

    /** Adds {@code host:port} entries of a comma-separated list; an entry without a port takes {@code port}. */
    private static void addMembers(List<String> members, String list, Integer port, String from) {
        for (String entry : list.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            boolean hasPort;
            if (e.startsWith("[")) {
                hasPort = e.contains("]:");
            } else {
                int colons = e.length() - e.replace(":", "").length();
                if (colons > 1) {
                    // A bare IPv6 address: brackets are needed before a port can follow.
                    e = "[" + e + "]";
                    hasPort = false;
                } else {
                    hasPort = colons == 1;
                }
            }
            if (!hasPort) {
                if (port == null) {
                    throw new IllegalArgumentException("dqlite member '" + e + "' (from " + from + ") has no port:"
                            + " write host:port, or give PORT");
                }
                e = e + ":" + port;
            }
            members.add(e);
        }
    }
}
