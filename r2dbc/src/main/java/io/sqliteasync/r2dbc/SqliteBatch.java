package io.sqliteasync.r2dbc;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Result;
import io.sqliteasync.internal.sql.SqlScript;
import io.sqliteasync.internal.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * SQL statements without parameters run in order. Built by one thread. In auto-commit mode a batch that writes runs
 * as one transaction on the writer (all or nothing); a batch of queries runs on readers.
 */
final class SqliteBatch implements Batch {
    private final SqliteConnection connection;
    private final List<SqliteConnection.Unit> units = new ArrayList<>();

    SqliteBatch(SqliteConnection connection) {
        this.connection = connection;
    }

    /**
     * Adds SQL: one statement, or several separated by semicolons.
     *
     * @param sql the text, without parameters
     * @return this batch
     */
    @Override
    public SqliteBatch add(String sql) {
        SqliteConnection.requireArgument(sql, "sql");
        for (SqlStatement p : SqlScript.split(sql)) {
            units.add(new SqliteConnection.Unit(p.kind(), p.text(), new Object[0]));
        }
        return this;
    }

    /**
     * Runs the statements when subscribed.
     *
     * @return one result per statement, in order, emitted on a worker thread
     */
    @Override
    public Flux<Result> execute() {
        return connection.run(List.copyOf(units), connection.prefetch());
    }
}
