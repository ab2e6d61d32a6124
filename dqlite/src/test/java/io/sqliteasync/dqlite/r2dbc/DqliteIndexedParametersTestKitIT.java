package io.sqliteasync.dqlite.r2dbc;

/** The R2DBC TCK over a dqlite cluster with {@code ?} placeholders bound by index. */
class DqliteIndexedParametersTestKitIT extends DqliteTestKitBase<Integer> {

    @Override
    public String getPlaceholder(int index) {
        return "?";
    }

    @Override
    public Integer getIdentifier(int index) {
        return index;
    }
}
