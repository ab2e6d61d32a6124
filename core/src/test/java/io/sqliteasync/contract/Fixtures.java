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

/** The clients the contract runs against, each opened on a seeded file and ended afterwards. */
final class Fixtures {
    private Fixtures() {
    }

    /** One kind of client: opened on a seeded file, ended after the test. */
    interface Fixture {
        SqlClient open(Path file);

        void end();

        /** Whether the client accepts writes (a snapshot does not). */
        default boolean writes() {
            return true;
        }
    }

    static DatabaseOptions databaseOptions(Path file) {
        return DatabaseOptions.builder(file.toString()).readers(2).acquireTimeout(Duration.ofSeconds(30)).build();
    }

    /** An open connection. */
    static final class Connection implements Fixture {
        AsyncConnection c;

        @Override
        public AsyncConnection open(Path file) {
            c = AsyncConnection.open(file.toString()).join();
            return c;
        }

        @Override
        public void end() {
            c.close();
        }
    }

    /** An open database. */
    static final class Db implements Fixture {
        Database db;

        @Override
        public Database open(Path file) {
            db = Database.open(databaseOptions(file)).join();
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
            db = Database.open(databaseOptions(file).toBuilder().groupCommit(true).build()).join();
            return db;
        }

        @Override
        public void end() {
            db.close();
        }
    }

    /** A transaction handle from {@code Database.begin()}; ended by a rollback, then the database closes. */
    static final class DbTransaction implements Fixture {
        Database db;
        Transaction tx;

        @Override
        public Transaction open(Path file) {
            db = Database.open(databaseOptions(file)).join();
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
    static final class ConnectionTransaction implements Fixture {
        AsyncConnection c;
        Transaction tx;

        @Override
        public Transaction open(Path file) {
            c = AsyncConnection.open(file.toString()).join();
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
    static final class DbSnapshot implements Fixture {
        Database db;
        Snapshot snapshot;
        final CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> scope;

        @Override
        public Snapshot open(Path file) {
            db = Database.open(databaseOptions(file)).join();
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
    static Fixture blocking(Fixture of) {
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
