package io.sqliteasync.internal.worker;

import io.sqliteasync.Row;
import java.util.List;

/**
 * Rows stepped by one fetch.
 *
 * @param rows the rows, possibly empty
 * @param exhausted whether the query has no more rows (its statement is already reset)
 */
public record Batch(List<Row> rows, boolean exhausted) {
}
