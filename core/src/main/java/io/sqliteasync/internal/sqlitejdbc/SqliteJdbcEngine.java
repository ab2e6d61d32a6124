package io.sqliteasync.internal.sqlitejdbc;

import io.sqliteasync.ConnectionOptions;
import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.Capabilities;
import io.sqliteasync.internal.engine.Capability;
import io.sqliteasync.internal.engine.Engine;
import io.sqliteasync.internal.engine.EngineConnection;
import java.sql.SQLException;
import java.util.EnumSet;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

/**
 * SQLite in this process through sqlite-jdbc's bundled native library. The only package that names
 * {@code org.sqlite}.
 */
public final class SqliteJdbcEngine implements Engine {
    /** The one instance; the engine holds no state. */
    public static final SqliteJdbcEngine INSTANCE = new SqliteJdbcEngine();

    private static final Capabilities CAPABILITIES = Capabilities.of("sqlite-jdbc", EnumSet.of(
            Capability.USER_FUNCTIONS, Capability.COLLATIONS, Capability.HOOKS, Capability.BUSY_HANDLER,
            Capability.PROGRESS_HANDLER, Capability.INTERRUPT, Capability.BACKUP, Capability.LOAD_EXTENSION,
            Capability.JDBC_CONNECTION, Capability.SERIALIZE));

    private SqliteJdbcEngine() {
    }

    @Override
    public String name() {
        return "sqlite-jdbc";
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public EngineConnection open(ConnectionOptions options) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(options.readOnly());
        if (!options.create()) {
            config.resetOpenMode(SQLiteOpenMode.CREATE);
        }
        config.setOpenMode(SQLiteOpenMode.OPEN_URI);
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        config.enableLoadExtension(options.allowLoadExtension());
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        // sqlite-jdbc keeps a "SELECT last_insert_rowid()" result set open after every INSERT for getGeneratedKeys;
        // that active statement makes SQLite refuse VACUUM and VACUUM INTO ("SQL statements in progress"). The
        // library reads the rowid itself.
        config.setGetGeneratedKeys(false);
        try {
            return new SqliteJdbcConnection(this,
                    (SQLiteConnection) config.createConnection("jdbc:sqlite:" + options.path()));
        } catch (SQLException e) {
            throw SqliteJdbcErrors.map(e, null);
        }
    }

    @Override
    public SqliteException translate(Throwable failure, String sql) {
        return SqliteJdbcErrors.translate(failure, sql);
    }
}
