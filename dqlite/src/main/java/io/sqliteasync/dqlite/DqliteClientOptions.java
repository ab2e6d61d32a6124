package io.sqliteasync.dqlite;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the dqlite client. Every network wait is bounded by one of the timeouts here.
 *
 * @param dialTimeout longest wait for a TCP connection to a node (default 5 s)
 * @param readTimeout longest wait for the next bytes of a response, and for a request to be written (default 30 s);
 *     a connection that exceeds it is closed with {@link DqliteConnectionLostException}
 * @param interruptTimeout longest time an interrupt may take to end a running query (default 10 s); past it the
 *     connection is closed, which is the only other way to stop a server that keeps sending rows
 * @param discoveryTimeout longest time leader discovery may take, retries included (default 30 s)
 * @param maxMessageSize largest response body accepted, in bytes (default 256 MiB); a bigger size in a header is
 *     taken as proof that the peer is not a dqlite server
 * @param wideParameters whether to send more than 255 parameters with the 32-bit count of parameter schema 1; only
 *     newer dqlite servers understand it, older ones misread it, so it is off by default and more than 255
 *     parameters are refused before anything is sent
 * @param clientId the id this client registers with (default 0)
 * @param failoverTimeout how long a call of the {@code Database} engine waits for a leader (an election, a node
 *     restart) before it fails (default 30 s): calls that could not reach the leader pause, not fail, for this long
 */
public record DqliteClientOptions(
        Duration dialTimeout,
        Duration readTimeout,
        Duration interruptTimeout,
        Duration discoveryTimeout,
        int maxMessageSize,
        boolean wideParameters,
        long clientId,
        Duration failoverTimeout) {

    /**
     * Checks the settings.
     *
     * @param dialTimeout longest wait for a TCP connection
     * @param readTimeout longest wait for the next bytes of a response
     * @param interruptTimeout longest time an interrupt may take
     * @param discoveryTimeout longest time leader discovery may take
     * @param maxMessageSize largest response body accepted
     * @param wideParameters whether to use parameter schema 1 for more than 255 parameters
     * @param clientId the id this client registers with
     * @param failoverTimeout how long a call waits for a leader
     */
    public DqliteClientOptions {
        positive(dialTimeout, "dialTimeout");
        positive(readTimeout, "readTimeout");
        positive(interruptTimeout, "interruptTimeout");
        positive(discoveryTimeout, "discoveryTimeout");
        positive(failoverTimeout, "failoverTimeout");
        if (maxMessageSize < 4096) {
            throw new IllegalArgumentException("maxMessageSize must be at least 4096 bytes: " + maxMessageSize);
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be between 1 ms and " + Integer.MAX_VALUE + " ms: " + d);
        }
    }

    /**
     * The default settings.
     *
     * @return options with every default
     */
    public static DqliteClientOptions defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these settings.
     *
     * @return a new builder holding every value of this record
     */
    public Builder toBuilder() {
        return new Builder().dialTimeout(dialTimeout).readTimeout(readTimeout).interruptTimeout(interruptTimeout)
                .discoveryTimeout(discoveryTimeout).maxMessageSize(maxMessageSize).wideParameters(wideParameters)
                .clientId(clientId).failoverTimeout(failoverTimeout);
    }

    /** Builds {@link DqliteClientOptions}; every setter returns the builder. */
    public static final class Builder {
        private Duration dialTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration interruptTimeout = Duration.ofSeconds(10);
        private Duration discoveryTimeout = Duration.ofSeconds(30);
        private int maxMessageSize = 256 << 20;
        private boolean wideParameters;
        private long clientId;
        private Duration failoverTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * Sets the dial timeout.
         *
         * @param value longest wait for a TCP connection
         * @return this builder
         */
        public Builder dialTimeout(Duration value) {
            this.dialTimeout = value;
            return this;
        }

        /**
         * Sets the read timeout.
         *
         * @param value longest wait for the next bytes of a response
         * @return this builder
         */
        public Builder readTimeout(Duration value) {
            this.readTimeout = value;
            return this;
        }

        /**
         * Sets the interrupt timeout.
         *
         * @param value longest time an interrupt may take before the connection is closed
         * @return this builder
         */
        public Builder interruptTimeout(Duration value) {
            this.interruptTimeout = value;
            return this;
        }

        /**
         * Sets the discovery timeout.
         *
         * @param value longest time leader discovery may take
         * @return this builder
         */
        public Builder discoveryTimeout(Duration value) {
            this.discoveryTimeout = value;
            return this;
        }

        /**
         * Sets the largest response body accepted.
         *
         * @param bytes the limit in bytes, at least 4096
         * @return this builder
         */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * Allows more than 255 parameters, sent with parameter schema 1. Turn it on only for servers that support
         * it.
         *
         * @param value whether to allow it
         * @return this builder
         */
        public Builder wideParameters(boolean value) {
            this.wideParameters = value;
            return this;
        }

        /**
         * Sets the client id sent at registration.
         *
         * @param value the id
         * @return this builder
         */
        public Builder clientId(long value) {
            this.clientId = value;
            return this;
        }

        /**
         * Sets how long a call of the {@code Database} engine waits for a leader before it fails: during an election
         * shorter than this, calls pause and then run on the new leader.
         *
         * @param value the longest pause
         * @return this builder
         */
        public Builder failoverTimeout(Duration value) {
            this.failoverTimeout = value;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException when a timeout is not positive or the message size is too small
         */
        public DqliteClientOptions build() {
            return new DqliteClientOptions(dialTimeout, readTimeout, interruptTimeout, discoveryTimeout,
                    maxMessageSize, wideParameters, clientId, failoverTimeout);
        }
    }
}
