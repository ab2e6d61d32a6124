package io.sqliteasync;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

final class DatabaseTestSupport {
    private DatabaseTestSupport() {
    }

    /** Waits at most 30 s for a future that must fail and returns why it failed. */
    static Throwable failure(CompletableFuture<?> f) {
        try {
            f.orTimeout(30, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
        throw new AssertionError("expected the future to fail, it completed with " + f.join());
    }

    static <T> T await(CompletableFuture<T> f) {
        return f.orTimeout(30, TimeUnit.SECONDS).join();
    }

    static long count(Database db, String table) {
        return await(db.fetchOne("SELECT count(*) FROM " + table)).getLong(0);
    }
}
