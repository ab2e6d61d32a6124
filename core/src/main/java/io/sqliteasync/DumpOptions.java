package io.sqliteasync;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * What {@link AsyncConnection#dump(DumpOptions)} and {@link Database#dump(DumpOptions)} write. Immutable and
 * thread-safe; build with {@link #builder()}, or take {@link #defaults()}: the whole {@code main} schema, rowids kept.
 * Two options are equal when every setting is equal (the table filter by its own {@code equals}, usually identity).
 */
public final class DumpOptions {
    private static final DumpOptions DEFAULTS = builder().build();

    private final String schema;
    private final Predicate<String> tables;
    private final boolean preserveRowids;

    private DumpOptions(Builder b) {
        this.schema = b.schema;
        this.tables = b.tables;
        this.preserveRowids = b.preserveRowids;
    }

    /**
     * The defaults: schema {@code main}, every table, rowids kept.
     *
     * @return the default options
     */
    public static DumpOptions defaults() {
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
     * The schema dumped: {@code main}, {@code temp} or the name of an attached database. The statements written
     * never name it, so the dump restores into whatever database runs it.
     *
     * @return the schema name
     */
    public String schema() {
        return schema;
    }

    /**
     * Which tables and views are dumped, tested with each name; the indexes, triggers, {@code sqlite_sequence} and
     * statistics rows of a table go with it. {@code null} means all of them. A filtered dump leaves out
     * {@code PRAGMA user_version} and {@code application_id}. The predicate runs on a worker thread while the dump
     * reads the catalog: it must not block, and what it throws fails the dump.
     *
     * @return the filter, or {@code null}
     */
    public Predicate<String> tables() {
        return tables;
    }

    /**
     * Whether the rowids of tables that have one but no {@code INTEGER PRIMARY KEY} are written (as an extra
     * {@code rowid} column of each {@code INSERT}), so that the restored rows keep them. Default {@code true}; the
     * sqlite3 shell's {@code .dump} does this only with {@code --preserve-rowids}. Tables with an
     * {@code INTEGER PRIMARY KEY} always keep their rowids, since the key is the rowid.
     *
     * @return whether rowids are kept
     */
    public boolean preserveRowids() {
        return preserveRowids;
    }

    /**
     * A builder holding these options, to derive others from.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.schema = schema;
        b.tables = tables;
        b.preserveRowids = preserveRowids;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DumpOptions && schema.equals(((DumpOptions) o).schema)
                && Objects.equals(tables, ((DumpOptions) o).tables)
                && preserveRowids == ((DumpOptions) o).preserveRowids;
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, tables, preserveRowids);
    }

    @Override
    public String toString() {
        return "DumpOptions[schema=" + schema + ", tables=" + (tables == null ? "all" : tables)
                + ", preserveRowids=" + preserveRowids + "]";
    }

    /** Builds {@link DumpOptions}; not thread-safe. */
    public static final class Builder {
        private String schema = "main";
        private Predicate<String> tables;
        private boolean preserveRowids = true;

        private Builder() {
        }

        /**
         * Sets the schema to dump; see {@link DumpOptions#schema()}.
         *
         * @param schema {@code main}, {@code temp} or an attached database's name
         * @return this builder
         * @throws IllegalArgumentException when it is empty
         */
        public Builder schema(String schema) {
            Objects.requireNonNull(schema, "schema");
            if (schema.isEmpty()) {
                throw new IllegalArgumentException("schema is empty: use \"main\" for the main database");
            }
            this.schema = schema;
            return this;
        }

        /**
         * Sets which tables and views to dump; see {@link DumpOptions#tables()}.
         *
         * @param tables tested with each table or view name, or {@code null} for all
         * @return this builder
         */
        public Builder tables(Predicate<String> tables) {
            this.tables = tables;
            return this;
        }

        /**
         * Sets whether rowids are kept; see {@link DumpOptions#preserveRowids()}.
         *
         * @param preserveRowids whether to keep them
         * @return this builder
         */
        public Builder preserveRowids(boolean preserveRowids) {
            this.preserveRowids = preserveRowids;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public DumpOptions build() {
            return new DumpOptions(this);
        }
    }
}
