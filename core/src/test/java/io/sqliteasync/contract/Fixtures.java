package io.sqliteasync.contract;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.Snapshot;
import io.sqliteasync.SqlClient;
import io.sqliteasync.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The clients the contract runs against, each opened on a seeded file and ended afterwards. Public so that another
 * engine's tests (dqlite) run the same fixtures on their own locations.
 */
public final class Fixtures {
    private Fixtures() {
    }

    /** One kind of client: opened on a seeded file, ended after the test. */
    public interface Fixture {
        SqlClient open(Path file);

        void end();

        /** Whether the client accepts writes (a snapshot does not). */
        default boolean writes() {
            return true;
        }
    }

    /** Where a fixture opens its client for a file: the file itself, or another engine's location for it. */
    public abstract static class Located implements Fixture {
        final Function<Path, String> location;

        Located(Function<Path, String> location) {
            this.location = location;
        }

        String at(Path file) {
            return location.apply(file);
        }
    }

    static DatabaseOptions databaseOptions(String location) {
        return DatabaseOptions.builder(location).readers(2).acquireTimeout(Duration.ofSeconds(30)).build();
    }

    /** An open connection. */
    public static final class Connection extends Located {
        public Connection() {
            this(Path::toString);
        }

        public Connection(Function<Path, String> location) {
            super(location);
        }

        AsyncConnection c;

        @Override
        public AsyncConnection open(Path file) {
            c = AsyncConnection.open(at(file)).join();
            return c;
        }

        @Override
        public void end() {
            c.close();
        }
    }

    /** An open database. */
    public static final class Db extends Located {
        public Db() {
            this(Path::toString);
        }

        public Db(Function<Path, String> location) {
            super(location);
        }

        Database db;

        @Override
        public Database open(Path file) {
            db = Database.open(databaseOptions(at(file))).join();
            return db;
        }

        @Override
        public void end() {
            db.close();
        }
    }

    /** An open database with group commit on. */
    static final class GroupCommitDb implements Fixture {
        Database db;

        @Override
        public Database open(Path file) {
            db = Database.open(databaseOptions(file.toString()).toBuilder().groupCommit(true).build()).join();
            return db;
        }

        @Override
        public void end() {
            db.close();
        }
    }

    /** A transaction handle from {@code Database.begin()}; ended by a rollback, then the database closes. */
    public static final class DbTransaction extends Located {
        public DbTransaction() {
            this(Path::toString);
        }

        public DbTransaction(Function<Path, String> location) {
            super(location);
        }

        Database db;
        Transaction tx;

        @Override
        public Transaction open(Path file) {
            db = Database.open(databaseOptions(at(file))).join();
            tx = db.begin().join();
            return tx;
        }

        @Override
        public void end() {
            tx.close();
            db.close();
        }
    }

    /** A transaction handle from {@code AsyncConnection.begin()}. */
    public static final class ConnectionTransaction extends Located {
        public ConnectionTransaction() {
            this(Path::toString);
        }

        public ConnectionTransaction(Function<Path, String> location) {
            super(location);
        }

        AsyncConnection c;
        Transaction tx;

        @Override
        public Transaction open(Path file) {
            c = AsyncConnection.open(at(file)).join();
            tx = c.begin().join();
            return tx;
        }

        @Override
        public void end() {
            tx.close();
            c.close();
        }
    }

    /** A snapshot from {@code Database.read(fn)}, held open until the end. */
    public static final class DbSnapshot extends Located {
        public DbSnapshot() {
            this(Path::toString);
        }

        public DbSnapshot(Function<Path, String> location) {
            super(location);
        }

        Database db;
        Snapshot snapshot;
        final CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> scope;

        @Override
        public Snapshot open(Path file) {
            db = Database.open(databaseOptions(at(file))).join();
            CompletableFuture<Snapshot> handle = new CompletableFuture<>();
            scope = db.read(s -> {
                handle.complete(s);
                return release;
            });
            snapshot = handle.join();
            return snapshot;
        }

        @Override
        public boolean writes() {
            return false;
        }

        @Override
        public void end() {
            release.complete(null);
            scope.handle((v, e) -> null).join();
            db.close();
        }
    }

    /** The blocking view of another fixture's client, run through {@link BlockingAsAsync}. */
    public static Fixture blocking(Fixture of) {
        return new Fixture() {
            @Override
            public SqlClient open(Path file) {
                return new BlockingAsAsync(of.open(file).blocking());
            }

            @Override
            public void end() {
                of.end();
            }

            @Override
            public boolean writes() {
                return of.writes();
            }
        };
    }
}
