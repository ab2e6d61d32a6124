package io.sqliteasync.dqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MessageReaderTest {

    private static MessageReader reader(int type, String hex) {
        byte[] body = HexFormat.of().parseHex(hex.replace(" ", ""));
        return new MessageReader().reset(body, body.length, type);
    }

    private static final String DONE = "ffffffffffffffff";
    private static final String PART = "eeeeeeeeeeeeeeee";

    @Test
    void rowHeaderNibblesAreLowFirst() {
        // Two columns a, b; one row (a INTEGER 42, b TEXT "hi"): header byte 0x31 = low nibble 1, high nibble 3.
        MessageReader r = reader(Wire.RESPONSE_ROWS, "0200000000000000 6100000000000000 6200000000000000"
                + " 3100000000000000 2a00000000000000 6869000000000000" + DONE);
        DqliteRowBatch batch = r.rows();
        assertThat(batch.columns()).containsExactly("a", "b");
        assertThat(batch.size()).isEqualTo(1);
        assertThat(batch.type(0, 0)).isEqualTo(DqliteType.INTEGER);
        assertThat(batch.type(0, 1)).isEqualTo(DqliteType.TEXT);
        assertThat(batch.row(0)).containsExactly(42L, "hi");
        assertThat(batch.isLast()).isTrue();
    }

    @Test
    void seventeenColumnsTakeATwoWordRowHeader() {
        StringBuilder hex = new StringBuilder("1100000000000000");
        for (int i = 0; i < 17; i++) {
            hex.append("6300000000000000"); // "c"
        }
        // 17 nibbles of type 5 (NULL): 8 bytes 0x55, then 0x05 and 7 bytes of padding.
        hex.append("5555555555555555").append("0500000000000000");
        hex.append("0000000000000000".repeat(17));
        hex.append(PART);
        DqliteRowBatch batch = reader(Wire.RESPONSE_ROWS, hex.toString()).rows();
        assertThat(batch.size()).isEqualTo(1);
        assertThat(batch.row(0)).hasSize(17).containsOnlyNulls();
        assertThat(batch.isLast()).isFalse();
    }

    @Test
    void everyValueTypeDecodes() {
        // Eight columns: 1 2 3 4 5 9 10 11 -> header bytes 0x21 0x43 0x95 0xba.
        String names = "6100000000000000".repeat(8);
        MessageReader r = reader(Wire.RESPONSE_ROWS, "0800000000000000" + names + "214395ba00000000"
                + "ffffffffffffffff".substring(0, 16) // integer -1
                + "000000000000f83f" // 1.5
                + "c3a9000000000000" // "é"
                + "0300000000000000" + "0001000000000000" // blob 00 01 00
                + "0000000000000000" // null
                + "0a00000000000000" // unixtime 10
                + "323032342d30312d 3032000000000000" // "2024-01-02"
                + "0100000000000000" // true
                + DONE);
        DqliteRowBatch batch = r.rows();
        Object[] row = batch.row(0);
        assertThat(row[0]).isEqualTo(-1L);
        assertThat(row[1]).isEqualTo(1.5);
        assertThat(row[2]).isEqualTo("\u00e9");
        assertThat((byte[]) row[3]).containsExactly(0, 1, 0);
        assertThat(row[4]).isNull();
        assertThat(row[5]).isEqualTo(Instant.ofEpochSecond(10));
        assertThat(row[6]).isEqualTo("2024-01-02");
        assertThat(row[7]).isEqualTo(true);
        assertThat(batch.type(0, 6)).isEqualTo(DqliteType.ISO8601);
    }

    @Test
    void typesMayDifferFromRowToRow() {
        MessageReader r = reader(Wire.RESPONSE_ROWS, "0100000000000000 7800000000000000"
                + "0100000000000000 0700000000000000" + "0500000000000000 0000000000000000" + DONE);
        DqliteRowBatch batch = r.rows();
        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.type(0, 0)).isEqualTo(DqliteType.INTEGER);
        assertThat(batch.type(1, 0)).isEqualTo(DqliteType.NULL);
    }

    @Test
    void emptyIso8601TextIsTheNullOfADatetimeColumn() {
        DqliteRowBatch batch = reader(Wire.RESPONSE_ROWS, "0100000000000000 7800000000000000"
                + "0a00000000000000 0000000000000000" + DONE).rows();
        assertThat(batch.value(0, 0)).isNull();
        assertThat(batch.type(0, 0)).isEqualTo(DqliteType.NULL);
    }

    @Test
    void anEmptyResultIsColumnsAndTheMarker() {
        DqliteRowBatch batch = reader(Wire.RESPONSE_ROWS, "0100000000000000 7800000000000000" + DONE).rows();
        assertThat(batch.size()).isZero();
        assertThat(batch.columns()).containsExactly("x");
    }

    @Test
    void rowsWithoutTheEndMarkerAreMalformed() {
        assertThatThrownBy(() -> reader(Wire.RESPONSE_ROWS, "0100000000000000 7800000000000000"
                + "0100000000000000 0700000000000000").rows())
                .isInstanceOf(DqliteProtocolException.class)
                .hasMessageContaining("malformed rows response");
    }

    @Test
    void anUnknownTypeCodeIsMalformed() {
        assertThatThrownBy(() -> reader(Wire.RESPONSE_ROWS, "0100000000000000 7800000000000000"
                + "0700000000000000 0700000000000000" + DONE).rows())
                .isInstanceOf(DqliteProtocolException.class)
                .hasMessageContaining("unknown value type 7");
    }

    @Test
    void aHugeColumnCountIsMalformedNotAnAllocation() {
        assertThatThrownBy(() -> reader(Wire.RESPONSE_ROWS, "ffffffff00000000" + DONE).rows())
                .isInstanceOf(DqliteProtocolException.class)
                .hasMessageContaining("column count");
    }

    @Test
    void textWithoutItsTerminatorIsMalformed() {
        MessageReader r = reader(Wire.RESPONSE_NODE, "0100000000000000 6161616161616161");
        r.uint64();
        assertThatThrownBy(r::text).isInstanceOf(DqliteProtocolException.class).hasMessageContaining("NUL terminator");
    }

    @Test
    void aBlobLongerThanTheBodyIsMalformed() {
        assertThatThrownBy(() -> reader(Wire.RESPONSE_ROWS, "0001000000000000 0000000000000000").blob())
                .isInstanceOf(DqliteProtocolException.class)
                .hasMessageContaining("blob of 256 bytes");
    }

    @Test
    void failureCarriesCodeAndMessage() {
        DqliteFailureException f = reader(Wire.RESPONSE_FAILURE,
                "0a28000000000000 6e6f74206c656164 6572000000000000").failure("SELECT 1");
        assertThat(f.extendedResultCode()).isEqualTo(DqliteFailureException.SQLITE_IOERR_NOT_LEADER).isEqualTo(10250);
        assertThat(f.resultCode()).isEqualTo(10);
        assertThat(f.isNotLeader()).isTrue();
        assertThat(f.isLeadershipChange()).isTrue();
        assertThat(f).hasMessageContaining("not leader").hasMessageContaining("SELECT 1");
    }

    @Test
    void clusterListingHasIdAddressAndRole() {
        MessageReader r = reader(Wire.RESPONSE_NODES, "0200000000000000"
                + "0100000000000000 3132372e302e302e 313a393030310000 0000000000000000"
                + "0200000000000000 3132372e302e302e 313a393030320000 0200000000000000");
        assertThat(r.nodes()).containsExactly(
                new DqliteNode(1, "127.0.0.1:9001", DqliteNode.Role.VOTER),
                new DqliteNode(2, "127.0.0.1:9002", DqliteNode.Role.SPARE));
    }

    @Test
    void leadershipLostCodeIsALeadershipChangeButNotNotLeader() {
        DqliteFailureException f = new DqliteFailureException("leadership lost", 10506, null);
        assertThat(f.isLeadershipChange()).isTrue();
        assertThat(f.isNotLeader()).isFalse();
    }
}
