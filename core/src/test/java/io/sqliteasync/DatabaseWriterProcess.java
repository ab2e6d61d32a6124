package io.sqliteasync;

/**
 * The second process of {@link DatabaseMultiProcessIT}: opens the database with default options, says READY, then
 * runs read-modify-write transactions. Exits 0 when every one committed, 1 otherwise.
 */
public final class DatabaseWriterProcess {
    private DatabaseWriterProcess() {
    }

    /**
     * Runs the writer.
     *
     * @param args the database path, the number of transactions, the tag written into each row, the tag of the
     *     other process (this one waits for its first row after writing its own first)
     */
    public static void main(String[] args) {
        String path = args[0];
        int transactions = Integer.parseInt(args[1]);
        String tag = args[2];
        try (Database db = Database.open(path).join()) {
            System.out.println("READY");
            System.out.flush();
            DatabaseMultiProcessIT.write(db, transactions, tag, args[3]);
            System.out.println("WROTE");
            System.out.flush();
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
