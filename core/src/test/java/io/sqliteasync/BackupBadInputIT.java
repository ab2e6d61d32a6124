package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every backup, restore, VACUUM INTO, serialize and deserialize call refuses bad input clearly and stays usable. */
class BackupBadInputIT {
    @TempDir
    Path dir;
    Path file;
    AsyncConnection db;
    List<String> content;

    @BeforeEach
    void open() {
        file = dir.resolve("source.db");
        db = AsyncConnection.open(file.toString()).join();
        BackupFixture.fill(db.blocking());
        content = BackupFixture.content(db.blocking());
    }

    @AfterEach
    void stillUsable() throws Exception {
        if (!db.isClosed()) {
            assertThat(BackupFixture.content(db.blocking())).isEqualTo(content);
            db.execute("INSERT INTO wide(k, v) VALUES ('after', 1)").join();
            db.close();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s.filter(p -> p.getFileName().toString().endsWith(".part")).toList()).isEmpty();
        }
    }

    static SqliteException failure(CompletableFuture<?> f) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(f::join);
        assertThat(t).isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(SqliteException.class);
        return (SqliteException) t.getCause();
    }

    // ------------------------------------------------------------------ backup and vacuumInto targets

    @Test
    void aMissingTargetDirectoryIsNamed() {
        Path target = dir.resolve("no-such-dir").resolve("copy.db");
        assertThat(failure(db.backup(target))).hasMessageContaining("does not exist").hasMessageContaining("no-such-dir");
        assertThat(failure(db.vacuumInto(target))).hasMessageContaining("does not exist");
    }

    @Test
    void aReadOnlyTargetDirectoryIsRefused() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThat(failure(db.backup(ro.resolve("copy.db")))).hasMessageContaining("not writable");
            assertThat(failure(db.vacuumInto(ro.resolve("copy.db")))).hasMessageContaining("not writable");
            try (Stream<Path> s = Files.list(ro)) {
                assertThat(s.toList()).isEmpty();
            }
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aReadOnlyTargetFileIsRefusedAndKept() throws Exception {
        Path target = Files.writeString(dir.resolve("kept.db"), "keep me");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--r--r--"));

        assertThat(failure(db.backup(target))).hasMessageContaining("read-only");
        assertThat(Files.readString(target)).isEqualTo("keep me");
    }

    @Test
    void theSourceFileItselfIsRefusedAsATarget() throws Exception {
        SqliteException e = failure(db.backup(file));
        assertThat(e).hasMessageContaining("is the source database");
        assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_MISUSE);
        assertThat(failure(db.backup(dir.resolve(".").resolve("source.db")))).hasMessageContaining("source");
        assertThat(failure(db.vacuumInto(file))).hasMessageContaining("is the source database");
    }

    @Test
    void aDatabasesOwnWalFileIsRefusedAsATarget() throws Exception {
        Path wal = dir.resolve("wal.db");
        try (Database d = Database.open(wal.toString()).join()) {
            d.execute("CREATE TABLE x(y)").join();
            assertThat(Path.of(wal + "-wal")).exists();
            assertThat(failure(d.backup(Path.of(wal + "-wal")))).hasMessageContaining("wal file itself");
            assertThat(failure(d.backup(wal))).hasMessageContaining("source database");
            assertThat(d.fetchAll("SELECT * FROM x").join()).isEmpty();
        }
    }

    @Test
    void aDirectoryIsRefusedAsATarget() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertThat(failure(db.backup(sub))).hasMessageContaining("is a directory");
        assertThat(failure(db.vacuumInto(sub))).hasMessageContaining("is a directory");
    }

    @Test
    void vacuumIntoRefusesAnExistingFileAndLeavesItAlone() throws Exception {
        Path target = Files.writeString(dir.resolve("exists.db"), "not mine");
        SqliteException e = failure(db.vacuumInto(target));
        assertThat(e).hasMessageContaining("already exists");
        assertThat(Files.readString(target)).isEqualTo("not mine");
    }

    @Test
    void aBackupReplacesAnExistingWritableFileAtomically() throws Exception {
        Path target = Files.writeString(dir.resolve("old.db"), "an old backup");
        assertThat(db.backup(target).join().done()).isTrue();
        try (AsyncConnection c = AsyncConnection.open(target.toString()).join()) {
            assertThat(BackupFixture.content(c.blocking())).isEqualTo(content);
        }
    }

    @Test
    void anUnknownSchemaIsNamed() {
        BackupOptions options = BackupOptions.builder().schema("nope").build();
        assertThat(failure(db.backup(dir.resolve("c.db"), options))).hasMessageContaining("no schema named 'nope'");
        assertThat(failure(db.restore(dir.resolve("c.db"), options))).hasMessageContaining("no schema named 'nope'");
        assertThat(failure(db.serialize("nope"))).hasMessageContaining("no schema named 'nope'");
        assertThat(failure(db.deserialize("nope", new byte[0]))).hasMessageContaining("no schema named 'nope'");
    }

    @Test
    void aListenerThatThrowsStopsTheBackupAndLeavesNoFile() {
        Path target = dir.resolve("c.db");
        IllegalStateException boom = new IllegalStateException("listener failed");
        SqliteException e = failure(db.backup(target, BackupOptions.builder().pagesPerStep(1).listener(p -> {
            throw boom;
        }).build()));
        assertThat(e).hasMessageContaining("listener").hasRootCause(boom);
        assertThat(target).doesNotExist();
    }

    @Test
    void aListenerThatThrowsDuringARestoreIsReportedAfterTheRestoreCompleted() {
        Path copy = dir.resolve("c.db");
        db.backup(copy).join();
        try (AsyncConnection m = AsyncConnection.open(":memory:").join()) {
            IllegalStateException boom = new IllegalStateException("listener failed");
            SqliteException e = failure(m.restore(copy, BackupOptions.builder().pagesPerStep(1).listener(p -> {
                throw boom;
            }).build()));
            assertThat(e).hasMessageContaining("restore completed").hasRootCause(boom);
            assertThat(BackupFixture.content(m.blocking())).isEqualTo(content);
        }
    }

    @Test
    void nullsAndOutOfRangeOptionsFailAtOnce() {
        assertThatThrownBy(() -> db.backup(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> db.backup(dir.resolve("x"), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> db.restore(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> db.vacuumInto(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> db.serialize(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> db.deserialize(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> BackupOptions.builder().pagesPerStep(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pagesPerStep");
        assertThatThrownBy(() -> BackupOptions.builder().pause(java.time.Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pause");
        assertThatThrownBy(() -> BackupOptions.builder().maxRestarts(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackupOptions.builder().schema("")).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ restore and deserialize sources

    @Test
    void aMissingRestoreSourceIsNamedAndNothingChanges() {
        SqliteException e = failure(db.restore(dir.resolve("missing.db")));
        assertThat(e).hasMessageContaining("does not exist").hasMessageContaining("missing.db");
        assertThat(e.resultCode()).isEqualTo(SqliteException.SQLITE_CANTOPEN);
    }

    @Test
    void aRestoreFromSomethingThatIsNotADatabaseChangesNothing() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.db"), "this is not a database ".repeat(200));
        SqliteException e = failure(db.restore(junk));
        assertThat(e).hasMessageContaining("not a SQLite database");
        assertThat(e.resultCode()).isEqualTo(26);
        assertThat(failure(db.restore(dir))).hasMessageContaining("not a readable file");
    }

    @Test
    void aRestoreFromATruncatedOrCorruptDatabaseChangesNothing() throws Exception {
        Path copy = dir.resolve("copy.db");
        db.backup(copy).join();
        byte[] bytes = Files.readAllBytes(copy);
        Path truncated = Files.write(dir.resolve("truncated.db"), Arrays.copyOf(bytes, bytes.length - 100));
        assertThat(failure(db.restore(truncated))).hasMessageContaining("truncated");

        // A valid header over pages of garbage: SQLite copies pages as they are, and integrity_check says so.
        byte[] corrupt = bytes.clone();
        for (int i = 4096; i < corrupt.length; i++) {
            corrupt[i] = (byte) 0x5a;
        }
        Path bad = Files.write(dir.resolve("corrupt.db"), corrupt);
        try (AsyncConnection m = AsyncConnection.open(":memory:").join()) {
            m.restore(bad).join();
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                    () -> m.fetchAll("PRAGMA integrity_check").join());
            if (t == null) {
                assertThat(m.fetchOne("PRAGMA integrity_check").join().getString(0)).isNotEqualTo("ok");
            } else {
                assertThat(t.getCause()).isInstanceOf(SqliteException.class).hasMessageContaining("malformed");
            }
            // the connection still works after a corrupt restore: a good restore replaces it again
            m.restore(copy).join();
            assertThat(BackupFixture.content(m.blocking())).isEqualTo(content);
        }
    }

    @Test
    void deserializeRefusesBytesThatAreNotADatabase() throws Exception {
        byte[] junk = "definitely not a database".repeat(50).getBytes(StandardCharsets.UTF_8);
        assertThat(failure(db.deserialize(junk))).hasMessageContaining("not a SQLite database");
        byte[] real = db.serialize().join();
        assertThat(failure(db.deserialize(Arrays.copyOf(real, real.length - 1)))).hasMessageContaining("truncated");
        try (AsyncConnection m = AsyncConnection.open(":memory:").join()) {
            m.execute("CREATE TABLE kept(x)").join();
            assertThat(failure(m.deserialize(junk))).hasMessageContaining("not a SQLite database");
            assertThat(m.fetchAll("SELECT * FROM kept").join()).isEmpty();
        }
    }

    @Test
    void theCallerMayReuseTheArrayAfterDeserialize() {
        byte[] real = db.serialize().join();
        try (AsyncConnection m = AsyncConnection.open(":memory:").join()) {
            CompletableFuture<Void> f = m.deserialize(real);
            Arrays.fill(real, (byte) 0);
            f.join();
            assertThat(BackupFixture.content(m.blocking())).isEqualTo(content);
        }
    }

    // ------------------------------------------------------------------ closed

    @Test
    void everyCallOnAClosedConnectionFailsWithSqliteClosedException() {
        db.close();
        Path target = dir.resolve("c.db");
        for (CompletableFuture<?> f : List.of(db.backup(target), db.restore(target), db.vacuumInto(target),
                db.serialize(), db.deserialize(new byte[0]))) {
            assertThat(failure(f)).isInstanceOf(SqliteClosedException.class);
        }
        assertThat(target).doesNotExist();
    }

    @Test
    void everyCallOnAClosedDatabaseFailsWithSqliteClosedException() {
        Database d = Database.open(dir.resolve("d.db").toString()).join();
        d.close();
        Path target = dir.resolve("c.db");
        for (CompletableFuture<?> f : List.of(d.backup(target), d.restore(target), d.vacuumInto(target),
                d.serialize(), d.deserialize(new byte[0]))) {
            assertThat(failure(f)).isInstanceOf(SqliteClosedException.class);
        }
        assertThat(target).doesNotExist();
    }
}
