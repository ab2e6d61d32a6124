package io.sqliteasync.internal.engine;

import io.sqliteasync.SqliteException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The set of {@link Capability capabilities} one engine has. Immutable.
 */
public final class Capabilities {
    private final String engine;
    private final Set<Capability> set;

    private Capabilities(String engine, Set<Capability> set) {
        this.engine = engine;
        this.set = set;
    }

    /**
     * The capabilities of an engine.
     *
     * @param engine the engine's name, used in error messages
     * @param capabilities what it can do
     * @return the set
     */
    public static Capabilities of(String engine, Set<Capability> capabilities) {
        EnumSet<Capability> copy = EnumSet.noneOf(Capability.class);
        copy.addAll(capabilities);
        return new Capabilities(engine, Collections.unmodifiableSet(copy));
    }

    /**
     * Whether the engine has a capability.
     *
     * @param capability the capability
     * @return {@code true} if it has it
     */
    public boolean has(Capability capability) {
        return set.contains(capability);
    }

    /**
     * Fails unless the engine has a capability.
     *
     * @param capability what is needed
     * @param what the operation that needs it, for the message, such as {@code "createFunction"}
     * @throws SqliteException with {@link SqliteException#SQLITE_MISUSE} naming the engine and the capability
     */
    public void require(Capability capability, String what) {
        if (!set.contains(capability)) {
            throw new SqliteException(what + " needs the engine capability " + capability + ", which the " + engine
                    + " engine does not have (it has " + set + ")", SqliteException.SQLITE_MISUSE, null, null);
        }
    }

    /**
     * Every capability the engine has.
     *
     * @return an unmodifiable set
     */
    public Set<Capability> asSet() {
        return set;
    }

    @Override
    public String toString() {
        return engine + set;
    }
}
