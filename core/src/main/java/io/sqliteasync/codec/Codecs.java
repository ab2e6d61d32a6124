package io.sqliteasync.codec;

/** Message helpers shared by the built-in codecs. */
final class Codecs {
    private Codecs() {
    }

    static String abbreviate(Object v) {
        String s = String.valueOf(v);
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    static String storageName(Object v) {
        if (v instanceof Long) {
            return "INTEGER";
        }
        if (v instanceof Double) {
            return "REAL";
        }
        if (v instanceof String) {
            return "TEXT";
        }
        if (v instanceof byte[]) {
            return "BLOB";
        }
        return v == null ? "NULL" : v.getClass().getName();
    }

    static String describe(Object v) {
        if (v instanceof byte[]) {
            return "BLOB of " + ((byte[]) v).length + " bytes";
        }
        return storageName(v) + " '" + abbreviate(v) + "'";
    }

    static IllegalArgumentException wrongStorage(Object v, String expected) {
        return new IllegalArgumentException(describe(v) + " cannot be read as such; expected " + expected);
    }
}
