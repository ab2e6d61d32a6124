package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup/restore, VACUUM INTO and serialize/deserialize give back exactly what went in. */
class BackupRoundTripIT {
    @TempDir
    Path dir;
    AsyncConnection source;
    List<String> expected;

    @BeforeEach
    void open() {
        source = AsyncConnection.open(dir.resolve("source.db").toString()).join();
        BackupFixture.fill(source.blocking());
        expected = BackupFixture.content(source.blocking());
        assertThat(expected).hasSizeGreaterThan(300);
    }

    @AfterEach
    void close() {
        source.close();
    }

    static void assertIntact(BlockingSqlClient db) {
        assertThat(db.fetchOne("PRAGMA integrity_check").getString(0)).isEqualTo("ok");
    }

    @Test
    void aBackupHoldsEveryRowAndSchemaObjectAndRestoresExactly() {
        Path copy = dir.resolve("copy.db");
        BackupProgress last = source.backup(copy, BackupOptions.builder().pagesPerStep(3).build()).join();

        assertThat(last.done()).isTrue();
        assertThat(last.step()).isGreaterThan(1);
        try (AsyncConnection c = AsyncConnection.open(copy.toString()).join()) {
            assertIntact(c.blocking());
            assertThat(BackupFixture.content(c.blocking())).isEqualTo(expected);
        }
        try (AsyncConnection target = AsyncConnection.open(":memory:").join()) {
            target.execute("CREATE TABLE gone(x)").join();
            BackupProgress restored = target.restore(copy).join();

            assertThat(restored.done()).isTrue();
            assertThat(BackupFixture.content(target.blocking())).isEqualTo(expected);
            assertIntact(target.blocking());
            // the trigger came along and still fires
            target.execute("INSERT INTO kinds(i) VALUES (7)").join();
            assertThat(target.fetchOne("SELECT count(*) FROM audit").join().getLong(0)).isEqualTo(5);
        }
    }

    @Test
    void aRestoreIntoAFileReplacesItsContent() {
        Path copy = dir.resolve("copy.db");
        source.backup(copy).join();
        try (AsyncConnection target = AsyncConnection.open(dir.resolve("target.db").toString()).join()) {
            target.execute("CREATE TABLE gone(x)").join();
            target.restore(copy).join();
            assertThat(BackupFixture.content(target.blocking())).isEqualTo(expected);
        }
        try (AsyncConnection reopened = AsyncConnection.open(dir.resolve("target.db").toString()).join()) {
            assertThat(BackupFixture.content(reopened.blocking())).isEqualTo(expected);
        }
    }

    @Test
    void serializeAndDeserializeIntoMemoryAreExact() {
        byte[] bytes = source.serialize().join();
        try (AsyncConnection memory = AsyncConnection.open(":memory:").join()) {
            memory.deserialize(bytes).join();

            assertThat(BackupFixture.content(memory.blocking())).isEqualTo(expected);
            assertIntact(memory.blocking());
            memory.execute("INSERT INTO wide(k, v) VALUES ('written', 1)").join();
            assertThat(memory.fetchOne("SELECT count(*) FROM wide").join().getLong(0)).isEqualTo(301);
        }
    }

    @Test
    void deserializeIntoAFileBackedConnectionReplacesTheFileContent() {
        byte[] bytes = source.serialize().join();
        Path file = dir.resolve("fixture.db");
        try (AsyncConnection target = AsyncConnection.open(file.toString()).join()) {
            target.deserialize(bytes).join();
            assertThat(BackupFixture.content(target.blocking())).isEqualTo(expected);
        }
        try (AsyncConnection reopened = AsyncConnection.open(file.toString()).join()) {
            assertThat(BackupFixture.content(reopened.blocking())).isEqualTo(expected);
        }
    }

    @Test
    void vacuumIntoWritesACompactedCopy() {
        Path copy = dir.resolve("vacuumed.db");
        source.vacuumInto(copy).join();

        try (AsyncConnection c = AsyncConnection.open(copy.toString()).join()) {
            assertIntact(c.blocking());
            assertThat(BackupFixture.content(c.blocking())).isEqualTo(expected);
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aDatabaseBacksUpFromAReaderAndRestoresAndDeserializesThroughTheWriter() throws Exception {
        Path file = dir.resolve("wal.db");
        try (Database db = Database.open(file.toString()).join()) {
            BackupFixture.fill(db.blocking());
            List<String> walContent = BackupFixture.content(db.blocking());
            String[] thread = new String[1];
            Path copy = dir.resolve("wal-copy.db");
            db.backup(copy, BackupOptions.builder().pagesPerStep(2)
                    .listener(p -> thread[0] = Thread.currentThread().getName()).build()).join();
            assertThat(thread[0]).contains("reader");
            Path vacuumed = dir.resolve("wal-vacuumed.db");
            db.vacuumInto(vacuumed).join();
            byte[] bytes = db.serialize().join();

            for (Path p : List.of(copy, vacuumed)) {
                try (AsyncConnection c = AsyncConnection.open(p.toString()).join()) {
                    assertThat(BackupFixture.content(c.blocking())).isEqualTo(walContent);
                }
            }
            try (AsyncConnection m = AsyncConnection.open(":memory:").join()) {
                m.deserialize(bytes).join();
                assertThat(BackupFixture.content(m.blocking())).isEqualTo(walContent);
            }

            db.execute("DELETE FROM wide").join();
            db.restore(copy).join();
            assertThat(BackupFixture.content(db.blocking())).isEqualTo(walContent);
            db.execute("DELETE FROM wide").join();
            db.deserialize(bytes).join();
            assertThat(BackupFixture.content(db.blocking())).isEqualTo(walContent);
            assertIntact(db.blocking());
        }
    }

    @Test
    void theBlockingViewsDoTheSame() {
        Path copy = dir.resolve("blocking.db");
        BlockingConnection b = source.blocking();
        assertThat(b.backup(copy).done()).isTrue();
        b.vacuumInto(dir.resolve("blocking-vacuumed.db"));
        byte[] bytes = b.serialize();
        try (AsyncConnection m = AsyncConnection.open(":memory:").join()) {
            m.blocking().deserialize(bytes);
            assertThat(BackupFixture.content(m.blocking())).isEqualTo(expected);
            m.blocking().execute("DELETE FROM wide");
            m.blocking().restore(copy);
            assertThat(BackupFixture.content(m.blocking())).isEqualTo(expected);
        }
    }

    @Test
    void backupToCopiesIntoAnotherOpenConnectionAndLeavesNoTemporaryFile() throws Exception {
        long tempsBefore = temporaries();
        try (AsyncConnection memory = AsyncConnection.open(":memory:").join()) {
            memory.execute("CREATE TABLE gone(x)").join();
            BackupProgress p = source.backupTo(memory, BackupOptions.builder().pagesPerStep(5).build()).join();

            assertThat(p.done()).isTrue();
            assertThat(BackupFixture.content(memory.blocking())).isEqualTo(expected);
            assertThat(source.blocking().backupTo(memory, BackupOptions.defaults()).done()).isTrue();
            Throwable self = org.assertj.core.api.Assertions.catchThrowable(
                    () -> source.backupTo(source, BackupOptions.defaults()).join());
            assertThat(self.getCause()).isInstanceOf(SqliteException.class).hasMessageContaining("itself");
        }
        assertThat(temporaries()).isEqualTo(tempsBefore);
    }

    private static long temporaries() throws java.io.IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("sqlite-async-backup")).count();
        }
    }

    @Test
    void aHugeValueSurvivesEveryRoundTrip() {
        byte[] big = new byte[12 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        source.execute("CREATE TABLE big(b)").join();
        source.execute("INSERT INTO big VALUES (?)", big).join();
        Path copy = dir.resolve("big.db");
        source.backup(copy, BackupOptions.builder().pagesPerStep(Integer.MAX_VALUE).build()).join();
        byte[] bytes = source.serialize().join();
        try (AsyncConnection m = AsyncConnection.open(":memory:").join()) {
            m.restore(copy).join();
            assertThat(m.fetchOne("SELECT b FROM big").join().getBytes(0)).isEqualTo(big);
            m.deserialize(bytes).join();
            assertThat(m.fetchOne("SELECT b FROM big").join().getBytes(0)).isEqualTo(big);
        }
    }

    private List<Path> leftovers() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
