package io.sqliteasync.dqlite.r2dbc;

/** The R2DBC TCK over a dqlite cluster with {@code :name} placeholders bound by name. */
class DqliteNamedParametersTestKitIT extends DqliteTestKitBase<String> {

    @Override
    public String getPlaceholder(int index) {
        return ":v" + index;
    }

    @Override
    public String getIdentifier(int index) {
        return "v" + index;
    }
}
