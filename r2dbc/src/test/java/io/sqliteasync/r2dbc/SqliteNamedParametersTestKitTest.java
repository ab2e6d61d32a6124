package io.sqliteasync.r2dbc;

/** The TCK with {@code :name} placeholders bound by name. */
class SqliteNamedParametersTestKitTest extends SqliteTestKitBase<String> {

    @Override
    public String getPlaceholder(int index) {
        return ":v" + index;
    }

    @Override
    public String getIdentifier(int index) {
        return "v" + index;
    }
}
