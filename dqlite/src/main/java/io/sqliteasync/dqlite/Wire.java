package io.sqliteasync.dqlite;

/**
 * Constants of dqlite wire protocol version 1 (dqlite's {@code src/protocol.h}, go-dqlite's
 * {@code internal/protocol/constants.go}).
 */
final class Wire {
    static final long PROTOCOL_VERSION = 1;
    static final int WORD = 8;
    static final int HEADER = 8;

    /** The word that ends a rows response when more rows follow in further responses. */
    static final long ROWS_PART = 0xeeeeeeeeeeeeeeeeL;
    /** The word that ends the last rows response of a result set. */
    static final long ROWS_DONE = 0xffffffffffffffffL;

    static final int REQUEST_LEADER = 0;
    static final int REQUEST_CLIENT = 1;
    static final int REQUEST_OPEN = 3;
    static final int REQUEST_PREPARE = 4;
    static final int REQUEST_EXEC = 5;
    static final int REQUEST_QUERY = 6;
    static final int REQUEST_FINALIZE = 7;
    static final int REQUEST_EXEC_SQL = 8;
    static final int REQUEST_QUERY_SQL = 9;
    static final int REQUEST_INTERRUPT = 10;
    static final int REQUEST_CLUSTER = 16;

    static final int RESPONSE_FAILURE = 0;
    static final int RESPONSE_NODE = 1;
    static final int RESPONSE_WELCOME = 2;
    static final int RESPONSE_NODES = 3;
    static final int RESPONSE_DB = 4;
    static final int RESPONSE_STMT = 5;
    static final int RESPONSE_RESULT = 6;
    static final int RESPONSE_ROWS = 7;
    static final int RESPONSE_EMPTY = 8;
    /** The highest response type a version-1 server sends (metadata). */
    static final int RESPONSE_MAX = 10;

    static final int CLUSTER_FORMAT_V1 = 1;

    /** Parameter tuples with a one-byte count. */
    static final int PARAMS_SCHEMA_V0 = 0;
    /** Parameter tuples with a four-byte count, for more than 255 parameters. */
    static final int PARAMS_SCHEMA_V1 = 1;

    private Wire() {
    }

    static String requestName(int type) {
        return switch (type) {
            case REQUEST_LEADER -> "leader";
            case REQUEST_CLIENT -> "client registration";
            case REQUEST_OPEN -> "open";
            case REQUEST_PREPARE -> "prepare";
            case REQUEST_EXEC -> "exec";
            case REQUEST_QUERY -> "query";
            case REQUEST_FINALIZE -> "finalize";
            case REQUEST_EXEC_SQL -> "exec_sql";
            case REQUEST_QUERY_SQL -> "query_sql";
            case REQUEST_INTERRUPT -> "interrupt";
            case REQUEST_CLUSTER -> "cluster";
            default -> "request " + type;
        };
    }

    static String responseName(int type) {
        return switch (type) {
            case RESPONSE_FAILURE -> "failure";
            case RESPONSE_NODE -> "node";
            case RESPONSE_WELCOME -> "welcome";
            case RESPONSE_NODES -> "servers";
            case RESPONSE_DB -> "db";
            case RESPONSE_STMT -> "stmt";
            case RESPONSE_RESULT -> "result";
            case RESPONSE_ROWS -> "rows";
            case RESPONSE_EMPTY -> "empty";
            default -> "type " + type;
        };
    }
}
