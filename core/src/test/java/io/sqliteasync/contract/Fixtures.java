package io.sqliteasync.contract;

import io.sqliteasync.AsyncConnection;
import io.sqliteasync.Database;
import io.sqliteasync.DatabaseOptions;
import io.sqliteasync.Snapshot;
import io.sqliteasync.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The clients the contract runs against, each opened on a seeded file and ended afterwards. */
final class Fixtures {
    private Fixtures() {
    }

    static DatabaseOptions databaseOptions(Path file) {
        return DatabaseOptions.builder(file.toString()).readers(2).acquireTimeout(Duration.ofSeconds(30)).build();
    }

    /** An open connection. */
    static final class Connection {
        AsyncConnection c;

        AsyncConnection open(Path file) {
            c = AsyncConnection.open(file.toString()).join();
            return c;
        }

        void end() {
            c.close();
        }
    }

    /** An open database. */
    static final class Db {
        Database db;

        Database open(Path file) {
            db = Database.open(databaseOptions(file)).join();
            return db;
        }

        void end() {
            db.close();
        }
    }

    /** A transaction handle from {@code Database.begin()}; ended by a rollback, then the database closes. */
    static final class DbTransaction {
        Database db;
        Transaction tx;

        Transaction open(Path file) {
            db = Database.open(databaseOptions(file)).join();
            tx = db.begin().join();
            return tx;
        }

        void end() {
            tx.close();
            db.close();
        }
    }

    /** A transaction handle from {@code AsyncConnection.begin()}. */
    static final class ConnectionTransaction {
        AsyncConnection c;
        Transaction tx;

        Transaction open(Path file) {
            c = AsyncConnection.open(file.toString()).join();
            tx = c.begin().join();
            return tx;
        }

        void end() {
            tx.close();
            c.close();
        }
    }

    /** A snapshot from {@code Database.read(fn)}, held open until the end. */
    static final class DbSnapshot {
        Database db;
        Snapshot snapshot;
        final CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> scope;

        Snapshot open(Path file) {
            db = Database.open(databaseOptions(file)).join();
            CompletableFuture<Snapshot> handle = new CompletableFuture<>();
            scope = db.read(s -> {
                handle.complete(s);
                return release;
            });
            snapshot = handle.join();
            return snapshot;
        }

        void end() {
            release.complete(null);
            scope.handle((v, e) -> null).join();
            db.close();
        }
    }
}
