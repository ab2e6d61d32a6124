package io.sqliteasync.dqlite;

import java.util.Objects;

/**
 * A member of a dqlite cluster, as the cluster request lists it.
 *
 * @param id the node's Raft id
 * @param address the node's database address, {@code host:port}
 * @param role the node's role
 */
public record DqliteNode(long id, String address, Role role) {

    /**
     * Checks the components.
     *
     * @param id the node's Raft id
     * @param address the node's database address
     * @param role the node's role
     */
    public DqliteNode {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(role, "role");
    }

    /** The role of a node in the cluster. Only voters can become the leader. */
    public enum Role {
        /** Votes in elections and replicates the log; can lead. */
        VOTER,
        /** Replicates the log but does not vote. */
        STANDBY,
        /** Neither votes nor replicates. */
        SPARE,
        /** A role code this client does not know. */
        UNKNOWN;

        static Role ofCode(long code) {
            return code == 0 ? VOTER : code == 1 ? STANDBY : code == 2 ? SPARE : UNKNOWN;
        }
    }
}
