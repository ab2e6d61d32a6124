package io.sqliteasync;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of an online backup ({@link AsyncConnection#backup(java.nio.file.Path, BackupOptions)},
 * {@link Database#backup(java.nio.file.Path, BackupOptions)}) and of a restore. Immutable; build with
 * {@link #builder()}.
 *
 * <p>A backup copies {@link #pagesPerStep()} pages per step. Between two steps the connection runs the calls queued
 * on it, then waits {@link #pause()} while still running calls that arrive, so a long backup shares its connection
 * instead of holding it.
 */
public final class BackupOptions {
    private static final BackupOptions DEFAULTS = builder().build();

    private final String schema;
    private final int pagesPerStep;
    private final Duration pause;
    private final Consumer<BackupProgress> listener;
    private final int maxRestarts;

    private BackupOptions(Builder b) {
        this.maxRestarts = b.maxRestarts;
        this.schema = b.schema;
        this.pagesPerStep = b.pagesPerStep;
        this.pause = b.pause;
        this.listener = b.listener;
    }

    /**
     * The defaults: schema {@code main}, 256 pages per step, no pause, no listener.
     *
     * @return the default options
     */
    public static BackupOptions defaults() {
        return DEFAULTS;
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
     * The schema copied (backup) or replaced (restore).
     *
     * @return {@code main} unless set
     */
    public String schema() {
        return schema;
    }

    /**
     * Pages copied per step ({@code sqlite3_backup_step(b, N)}).
     *
     * @return at least 1; 256 unless set
     */
    public int pagesPerStep() {
        return pagesPerStep;
    }

    /**
     * How long a backup waits between two steps, running calls queued on its connection meanwhile.
     *
     * @return zero unless set
     */
    public Duration pause() {
        return pause;
    }

    /**
     * Told of each step, on the worker thread that runs the backup, between two steps: keep it short and do not block.
     * An exception it throws stops the backup, which then fails with it as the cause; a restore, which cannot be
     * stopped, completes and then fails saying so.
     *
     * @return the listener, or {@code null}
     */
    public Consumer<BackupProgress> listener() {
        return listener;
    }

    /**
     * How many times a {@link Database#backup(java.nio.file.Path, BackupOptions) Database backup} lets the writer's
     * commits restart the copy before its reader pins a snapshot: from then on the copy is the database as of that
     * moment, and later commits neither restart it nor go into it. Without this, a stepped backup under a steady
     * stream of commits would restart at every step and never finish. An {@link AsyncConnection} backup never pins
     * (the writes through its own connection would wait for the end of the backup); there only other connections'
     * writes restart it.
     *
     * @return 3 unless set
     */
    public int maxRestarts() {
        return maxRestarts;
    }

    @Override
    public String toString() {
        return "BackupOptions[schema=" + schema + ", pagesPerStep=" + pagesPerStep + ", pause=" + pause
                + ", maxRestarts=" + maxRestarts
                + (listener != null ? ", listener]" : "]");
    }

    /** Builds {@link BackupOptions}. Not thread-safe. */
    public static final class Builder {
        private String schema = "main";
        private int pagesPerStep = 256;
        private Duration pause = Duration.ZERO;
        private Consumer<BackupProgress> listener;
        private int maxRestarts = 3;

        private Builder() {
        }

        /**
         * How many restarts a Database backup allows before it pins a snapshot; see {@link BackupOptions#maxRestarts()}.
         *
         * @param restarts zero (pin at once: the copy is the database as of the backup's start) or more
         * @return this builder
         */
        public Builder maxRestarts(int restarts) {
            if (restarts < 0) {
                throw new IllegalArgumentException("maxRestarts must not be negative, was " + restarts);
            }
            this.maxRestarts = restarts;
            return this;
        }

        /**
         * The schema to copy or replace: {@code main}, {@code temp} or the name of an attached database.
         *
         * @param schema the schema name
         * @return this builder
         */
        public Builder schema(String schema) {
            Objects.requireNonNull(schema, "schema");
            if (schema.isEmpty() || schema.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("schema must be a non-empty name without NUL, was '" + schema + "'");
            }
            this.schema = schema;
            return this;
        }

        /**
         * Pages copied per step. Fewer pages per step let other calls in sooner; more make the backup faster.
         *
         * @param pages at least 1
         * @return this builder
         */
        public Builder pagesPerStep(int pages) {
            if (pages < 1) {
                throw new IllegalArgumentException("pagesPerStep must be at least 1, was " + pages);
            }
            this.pagesPerStep = pages;
            return this;
        }

        /**
         * How long to wait between two steps, serving other calls on the connection meanwhile.
         *
         * @param pause zero or more
         * @return this builder
         */
        public Builder pause(Duration pause) {
            Objects.requireNonNull(pause, "pause");
            if (pause.isNegative()) {
                throw new IllegalArgumentException("pause must not be negative, was " + pause);
            }
            this.pause = pause;
            return this;
        }

        /**
         * Sets the progress listener; see {@link BackupOptions#listener()}.
         *
         * @param listener the listener, or {@code null} for none
         * @return this builder
         */
        public Builder listener(Consumer<BackupProgress> listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public BackupOptions build() {
            return new BackupOptions(this);
        }
    }
}
