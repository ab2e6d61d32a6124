package io.sqliteasync.r2dbc;

/** The TCK with {@code ?} placeholders bound by index. */
class SqliteIndexedParametersTestKitTest extends SqliteTestKitBase<Integer> {

    @Override
    public String getPlaceholder(int index) {
        return "?";
    }

    @Override
    public Integer getIdentifier(int index) {
        return index;
    }
}
