package io.sqliteasync;

/**
 * Turns a {@link Row} into a value. Mappers passed to {@code fetchAll}/{@code fetchOne} run on the connection's worker
 * thread as rows are read, so they must be quick and must not block; an exception they throw fails the call.
 *
 * @param <T> the mapped type
 */
@FunctionalInterface
public interface RowMapper<T> {

    /**
     * Maps one row.
     *
     * @param row the row
     * @return the value
     */
    T map(Row row);

    /**
     * A mapper to a class: a record is filled by column name (see {@link Row#as(Class)}); any other class is read
     * from the only column of the row with {@link Row#get(int, Class)}.
     *
     * @param type a record class, or a class the codecs decode to
     * @param <T> the mapped type
     * @return the mapper
     */
    static <T> RowMapper<T> of(Class<T> type) {
        if (type.isRecord()) {
            return RecordRowMapper.of(type);
        }
        return row -> {
            if (row.size() != 1) {
                throw new IllegalArgumentException("cannot map a row of " + row.size() + " columns "
                        + row.metadata().columnNames() + " to " + type.getName()
                        + ": it is not a record, so the row must have exactly one column");
            }
            return row.get(0, type);
        };
    }
}
