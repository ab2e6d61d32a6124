package io.sqliteasync.internal.worker;

import io.sqliteasync.BackupOptions;
import io.sqliteasync.BackupProgress;
import io.sqliteasync.Row;
import io.sqliteasync.SqliteException;
import io.sqliteasync.internal.engine.Capability;
import io.sqliteasync.internal.engine.EngineConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The jobs behind backup, restore, {@code VACUUM INTO}, serialize and deserialize. Each job runs on the connection's
 * worker thread. A file is never written in place: the copy goes to a temporary file in the target's directory and is
 * renamed onto the target only once complete, so a failed, cancelled or timed-out call leaves no partial file behind.
 */
public final class Backups {
    private static final Object[] NO_ARGS = new Object[0];
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int NOTADB = 26;
    private static final int ABORT = 4;

    private Backups() {
    }

    /**
     * An online backup of one schema to a file, in steps; the calls queued on the connection run between steps.
     *
     * @param target the file to write; replaced, atomically, once the copy is complete
     * @param options the schema, pages per step, pause and listener
     * @param mayPin whether the copy may pin a snapshot after {@link BackupOptions#maxRestarts()} restarts (a
     *     Database reader, where no write goes through the connection)
     * @return the job; it completes with the last progress report
     */
    public static Job<BackupProgress> backup(Path target, BackupOptions options, boolean mayPin) {
        return s -> {
            s.engineConnection().engine().capabilities().require(Capability.BACKUP, "backup");
            ConnectionWorker w = s.worker();
            String source = schemaFile(s, options.schema());
            Path dir = targetDirectory(target, source, "backup");
            Path temp = tempFile(dir, target, true);
            Stepping stepping = new Stepping(s, options, mayPin);
            boolean moved = false;
            try {
                boolean complete;
                try {
                    complete = s.engineConnection().backup(options.schema(), temp.toString(), options.pagesPerStep(),
                            stepping::step);
                } finally {
                    stepping.unpin();
                }
                if (stepping.listenerFailure != null) {
                    throw new SqliteException("the backup's progress listener threw; the backup was stopped: "
                            + stepping.listenerFailure, ABORT, null, stepping.listenerFailure);
                }
                if (!complete || w.currentCallStopped()) {
                    throw stopped("backup");
                }
                move(temp, target, true);
                moved = true;
                return stepping.last;
            } finally {
                if (!moved) {
                    deleteQuietly(temp);
                }
                deleteQuietly(Path.of(temp + "-journal"));
            }
        };
    }

    /** What a backup does between two steps: report, check for a stop, pin a snapshot if needed, serve calls. */
    private static final class Stepping {
        private final Session session;
        private final ConnectionWorker worker;
        private final Consumer<BackupProgress> listener;
        private final long pause;
        private final boolean mayPin;
        private final int maxRestarts;
        private boolean pinned;
        BackupProgress last = new BackupProgress(0, 0, 0, 0);
        RuntimeException listenerFailure;

        Stepping(Session session, BackupOptions options, boolean mayPin) {
            this.session = session;
            this.worker = session.worker();
            this.listener = options.listener();
            this.pause = options.pause().toNanos();
            this.mayPin = mayPin;
            this.maxRestarts = options.maxRestarts();
        }

        boolean step(int remaining, int pageCount) {
            int copied = pageCount - remaining;
            // SQLite starts again from page 1 when another connection changed the source since the last step; a
            // step that goes on copies at least one more page.
            int restarts = last.restarts() + (last.step() > 0 && copied <= last.pagesCopied() ? 1 : 0);
            last = new BackupProgress(last.step() + 1, copied, pageCount, restarts);
            if (listener != null) {
                try {
                    listener.accept(last);
                } catch (RuntimeException e) {
                    listenerFailure = e;
                    return stop();
                }
            }
            if (worker.currentCallStopped()) {
                return stop();
            }
            if (remaining > 0) {
                if (mayPin && !pinned && restarts >= maxRestarts) {
                    // A read transaction held across the steps: backup_step uses it instead of opening its own, so
                    // the source no longer changes under the copy (https://www.sqlite.org/c3ref/backup_finish.html).
                    session.executeScript("BEGIN");
                    session.query("SELECT count(*) FROM sqlite_schema", NO_ARGS, 1);
                    pinned = true;
                }
                worker.serveBetweenSteps(pause, pinned);
            }
            return worker.currentCallStopped() && stop();
        }

        /** The engine stops the copy by write-locking the source, which needs the pinned snapshot ended first. */
        private boolean stop() {
            unpin();
            return true;
        }

        void unpin() {
            if (pinned) {
                pinned = false;
                session.executeScript("COMMIT");
            }
        }
    }

    /**
     * Replaces one schema by the content of a database file. Nothing else runs on the connection meanwhile (it is the
     * backup's destination); the replacement commits at the end or not at all.
     *
     * @param source the database file to read
     * @param options the schema, pages per step and listener (the pause does not apply)
     * @return the job
     */
    public static Job<BackupProgress> restore(Path source, BackupOptions options) {
        return s -> {
            s.engineConnection().engine().capabilities().require(Capability.BACKUP, "restore");
            schemaFile(s, options.schema());
            checkDatabaseFile(source);
            Consumer<BackupProgress> listener = options.listener();
            BackupProgress[] last = {new BackupProgress(0, 0, 0, 0)};
            RuntimeException[] listenerFailure = {null};
            s.engineConnection().restore(options.schema(), source.toAbsolutePath().toString(),
                    options.pagesPerStep(), (remaining, pageCount) -> {
                        last[0] = new BackupProgress(last[0].step() + 1, pageCount - remaining, pageCount, 0);
                        if (listener != null && listenerFailure[0] == null) {
                            try {
                                listener.accept(last[0]);
                            } catch (RuntimeException e) {
                                listenerFailure[0] = e;
                            }
                        }
                        return false;
                    });
            if (listenerFailure[0] != null) {
                // A restore cannot be stopped once started: say plainly that it happened.
                throw new SqliteException("the restore completed (the content is replaced), but its progress listener"
                        + " threw: " + listenerFailure[0], ABORT, null, listenerFailure[0]);
            }
            return last[0];
        };
    }

    /**
     * {@code VACUUM schema INTO ?}: a compacted copy of one schema in a new file.
     *
     * @param target the new file; it must not exist
     * @param schema the schema
     * @return the job
     */
    public static Job<Void> vacuumInto(Path target, String schema) {
        return s -> {
            String source = schemaFile(s, schema);
            Path dir = targetDirectory(target, source, "vacuumInto");
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new SqliteException("vacuumInto: the target '" + target + "' already exists; VACUUM INTO"
                        + " writes only a new file (delete it first, or use backup to replace it)",
                        SqliteException.SQLITE_CANTOPEN, null, null);
            }
            Path temp = tempFile(dir, target, false);
            boolean moved = false;
            boolean liftQueryOnly = s.query("PRAGMA query_only", NO_ARGS, 1).get(0).getLong(0) != 0;
            try {
                if (liftQueryOnly) {
                    // A reader runs with query_only, which refuses VACUUM INTO though the reader's database is only
                    // read: the output is a new file.
                    s.executeScript("PRAGMA query_only = 0");
                }
                String sql = "VACUUM " + quote(schema) + " INTO ?";
                s.execute(sql, new Object[] {temp.toString()});
                if (s.worker().currentCallStopped()) {
                    throw stopped("vacuumInto");
                }
                move(temp, target, false);
                moved = true;
                return null;
            } finally {
                if (liftQueryOnly) {
                    s.executeScript("PRAGMA query_only = 1");
                }
                if (!moved) {
                    deleteQuietly(temp);
                }
            }
        };
    }

    /**
     * The bytes of one schema ({@code sqlite3_serialize}).
     *
     * @param schema the schema
     * @return the job
     */
    public static Job<byte[]> serialize(String schema) {
        return s -> {
            s.engineConnection().engine().capabilities().require(Capability.SERIALIZE, "serialize");
            schemaFile(s, schema);
            String q = quote(schema);
            long pages = s.query("PRAGMA " + q + ".page_count", NO_ARGS, 1).get(0).getLong(0);
            long size = s.query("PRAGMA " + q + ".page_size", NO_ARGS, 1).get(0).getLong(0);
            if (pages * size > Integer.MAX_VALUE - 8) {
                throw new SqliteException("serialize: schema '" + schema + "' holds " + pages * size + " bytes, more"
                        + " than a Java array can; use backup to a file instead", SqliteException.SQLITE_TOOBIG,
                        null, null);
            }
            return s.engineConnection().serialize(schema);
        };
    }

    /**
     * Replaces one schema by the database in {@code data}. An in-memory schema becomes an in-memory database holding
     * the bytes ({@code sqlite3_deserialize}); a schema backed by a file keeps its file, whose content is replaced
     * through a restore from a temporary copy of the bytes.
     *
     * @param schema the schema
     * @param data the bytes of a database file
     * @return the job
     */
    public static Job<Void> deserialize(String schema, byte[] data) {
        byte[] copy = data.clone();
        return s -> {
            checkDatabaseBytes(copy);
            String file = schemaFile(s, schema);
            EngineConnection c = s.engineConnection();
            if (file.isEmpty() && c.engine().capabilities().has(Capability.SERIALIZE)) {
                if (copy.length >= 20 && copy[18] == 2 && copy[19] == 2) {
                    // The image of a WAL database: an in-memory database cannot run in WAL mode, and SQLite fails
                    // to open it (SQLITE_CANTOPEN) unless the header says rollback journal (file format 1).
                    copy[18] = 1;
                    copy[19] = 1;
                }
                c.deserialize(schema, copy);
                return null;
            }
            c.engine().capabilities().require(Capability.BACKUP, "deserialize into a file-backed schema");
            Path temp = Files.createTempFile("sqlite-async-deserialize", ".db");
            try {
                Files.write(temp, copy);
                c.restore(schema, temp.toString(), 1024, (remaining, pageCount) -> false);
            } finally {
                deleteQuietly(temp);
                for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
                    deleteQuietly(Path.of(temp + suffix));
                }
            }
            return null;
        };
    }

    /**
     * Deletes a temporary copy made by a two-step copy ({@code backupTo}) and its directory, with any journal or WAL
     * files SQLite left beside it. Any thread; best effort.
     *
     * @param file the temporary database file
     */
    public static void deleteTemporary(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            deleteQuietly(Path.of(file + suffix));
        }
        if (file.getParent() != null) {
            deleteQuietly(file.getParent());
        }
    }

    /** The file behind a schema ("" for an in-memory or temporary one); fails when there is no such schema. */
    private static String schemaFile(Session s, String schema) {
        List<Row> list = s.query("PRAGMA database_list", NO_ARGS, Integer.MAX_VALUE);
        for (Row r : list) {
            if (schema.equalsIgnoreCase(r.getString(1))) {
                String f = r.getString(2);
                return f == null ? "" : f;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Row r : list) {
            names.append(names.length() == 0 ? "" : ", ").append(r.getString(1));
        }
        throw new SqliteException("no schema named '" + schema + "' on this connection (it has " + names + ")",
                SqliteException.SQLITE_ERROR, null, null);
    }

    /** Checks a target file's place: its directory must exist and be writable, and it must not be the source. */
    private static Path targetDirectory(Path target, String source, String what) {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new SqliteException(what + ": the target's directory '" + dir + "' does not exist",
                    SqliteException.SQLITE_CANTOPEN, null, null);
        }
        if (Files.isDirectory(abs)) {
            throw new SqliteException(what + ": the target '" + target + "' is a directory",
                    SqliteException.SQLITE_CANTOPEN, null, null);
        }
        if (!source.isEmpty()) {
            Path src = Path.of(source).toAbsolutePath().normalize();
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Path s = Path.of(src + suffix);
                if (isSameFile(s, abs)) {
                    throw new SqliteException(what + ": the target '" + target + "' is the source database"
                            + (suffix.isEmpty() ? "" : "'s " + suffix.substring(1) + " file") + " itself",
                            SqliteException.SQLITE_MISUSE, null, null);
                }
            }
        }
        if (readOnly(dir)) {
            throw new SqliteException(what + ": the target's directory '" + dir + "' is not writable (a new file"
                    + " is written there and renamed onto the target)", SqliteException.SQLITE_CANTOPEN, null, null);
        }
        if (Files.exists(abs) && readOnly(abs)) {
            throw new SqliteException(what + ": the target '" + target + "' is read-only",
                    SqliteException.SQLITE_CANTOPEN, null, null);
        }
        return dir;
    }

    /**
     * Not writable for this process, or without any write permission bit: a file or directory marked read-only is
     * refused even for a process (root) whose access check would let it write.
     */
    private static boolean readOnly(Path p) {
        if (!Files.isWritable(p)) {
            return true;
        }
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            return !perms.contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)
                    && !perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    && !perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    private static boolean isSameFile(Path a, Path b) {
        try {
            return a.equals(b) || (Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b));
        } catch (IOException e) {
            return false;
        }
    }

    /** A fresh name next to the target; created empty when {@code create}, otherwise only reserved and deleted. */
    private static Path tempFile(Path dir, Path target, boolean create) throws IOException {
        Path f;
        try {
            f = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        } catch (AccessDeniedException e) {
            throw new SqliteException("cannot create a file in '" + dir + "': permission denied",
                    SqliteException.SQLITE_CANTOPEN, null, e);
        } catch (IOException e) {
            throw new SqliteException("cannot create a file in '" + dir + "': " + e, SqliteException.SQLITE_CANTOPEN,
                    null, e);
        }
        if (!create) {
            Files.delete(f);
        }
        return f;
    }

    private static void move(Path temp, Path target, boolean replace) throws IOException {
        try {
            if (replace) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(temp, target);
            }
        } catch (FileAlreadyExistsException e) {
            throw new SqliteException("the target '" + target + "' appeared while the copy was written; the copy was"
                    + " discarded", SqliteException.SQLITE_CANTOPEN, null, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // Best effort: the caller's failure says more.
        }
    }

    private static SqliteException stopped(String what) {
        return new SqliteException("the " + what + " was stopped (cancelled, timed out or interrupted); no file was"
                + " written", SqliteException.SQLITE_INTERRUPT, null, null);
    }

    /** A restore source must be a readable SQLite file: SQLite itself would report some failures as success. */
    private static void checkDatabaseFile(Path source) throws IOException {
        if (!Files.exists(source)) {
            throw new SqliteException("restore: the source '" + source + "' does not exist",
                    SqliteException.SQLITE_CANTOPEN, null, null);
        }
        if (!Files.isRegularFile(source) || !Files.isReadable(source)) {
            throw new SqliteException("restore: the source '" + source + "' is not a readable file",
                    SqliteException.SQLITE_CANTOPEN, null, null);
        }
        byte[] head = new byte[100];
        int n;
        try (InputStream in = Files.newInputStream(source)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new SqliteException("restore: the source '" + source + "' does not exist",
                    SqliteException.SQLITE_CANTOPEN, null, e);
        }
        if (n > 0) {
            String problem = headerProblem(Arrays.copyOf(head, n), Files.size(source));
            if (problem != null) {
                throw new SqliteException("restore: the source '" + source + "' is not a SQLite database: " + problem,
                        NOTADB, null, null);
            }
        }
    }

    private static void checkDatabaseBytes(byte[] data) {
        if (data.length == 0) {
            return;
        }
        String problem = headerProblem(data, data.length);
        if (problem != null) {
            throw new SqliteException("deserialize: the bytes are not a SQLite database: " + problem, NOTADB, null,
                    null);
        }
    }

    /** What is wrong with a database file's header (https://www.sqlite.org/fileformat.html), or {@code null}. */
    private static String headerProblem(byte[] head, long size) {
        if (head.length < 100 || !Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC)) {
            return "it does not start with the header \"SQLite format 3\"";
        }
        int pageSize = ((head[16] & 0xff) << 8) | (head[17] & 0xff);
        if (pageSize == 1) {
            pageSize = 65536;
        }
        if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0) {
            return "its header names page size " + pageSize;
        }
        if (size % pageSize != 0) {
            return "its size, " + size + " bytes, is not a multiple of its page size " + pageSize + " (truncated?)";
        }
        return null;
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
