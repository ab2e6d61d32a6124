package io.sqliteasync.dqlite;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes the body of one response. Every read checks the body's bounds: a short or malformed body is a
 * {@link DqliteProtocolException}, never an index error.
 */
final class MessageReader {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf;
    private int pos;
    private int limit;
    private int type;

    MessageReader reset(byte[] body, int length, int type) {
        this.buf = body;
        this.pos = 0;
        this.limit = length;
        this.type = type;
        return this;
    }

    int type() {
        return type;
    }

    int remaining() {
        return limit - pos;
    }

    long uint64() {
        need(8, "an 8-byte word");
        long v = (long) LONG.get(buf, pos);
        pos += 8;
        return v;
    }

    long peekUint64() {
        need(8, "an 8-byte word");
        return (long) LONG.get(buf, pos);
    }

    int uint32() {
        need(4, "a 4-byte word");
        int v = (int) INT.get(buf, pos);
        pos += 4;
        return v;
    }

    String text() {
        int end = pos;
        while (end < limit && buf[end] != 0) {
            end++;
        }
        if (end == limit) {
            throw malformed("text without its NUL terminator");
        }
        String s = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
        int next = pos + MessageWriter.align(end - pos + 1);
        if (next > limit) {
            throw malformed("text padding past the end of the body");
        }
        pos = next;
        return s;
    }

    byte[] blob() {
        long length = uint64();
        if (length < 0 || length > remaining()) {
            throw malformed("blob of " + Long.toUnsignedString(length) + " bytes in " + remaining() + " remaining");
        }
        int n = (int) length;
        byte[] bytes = Arrays.copyOfRange(buf, pos, pos + n);
        int next = pos + MessageWriter.align(n);
        if (next > limit) {
            throw malformed("blob padding past the end of the body");
        }
        pos = next;
        return bytes;
    }

    /** A failure response: code, then message. */
    DqliteFailureException failure(String sql) {
        long code = uint64();
        String message = text();
        return new DqliteFailureException(message, (int) code, sql);
    }

    List<DqliteNode> nodes() {
        long n = uint64();
        // Each node takes at least three words: a cheap bound that keeps a garbage count from allocating.
        if (n < 0 || n > remaining() / 24) {
            throw malformed("server count " + Long.toUnsignedString(n) + " in " + remaining() + " bytes");
        }
        List<DqliteNode> nodes = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            long id = uint64();
            String address = text();
            long role = uint64();
            nodes.add(new DqliteNode(id, address, DqliteNode.Role.ofCode(role)));
        }
        return nodes;
    }

    /**
     * Decodes one rows response: the column count and names, then rows (a header of 4-bit type codes, two per byte,
     * low nibble first, padded to a word; then the values), then the end marker: {@link Wire#ROWS_DONE} for the last
     * response of a result set, {@link Wire#ROWS_PART} when more responses follow.
     */
    DqliteRowBatch rows() {
        long count = uint64();
        if (count < 0 || count > remaining() / Wire.WORD) {
            throw malformed("column count " + Long.toUnsignedString(count) + " in " + remaining() + " bytes");
        }
        int columns = (int) count;
        String[] names = new String[columns];
        for (int i = 0; i < columns; i++) {
            names[i] = text();
        }
        int headerBytes = MessageWriter.align((columns * 4 + 7) / 8);
        List<Object> values = new ArrayList<>();
        byte[] types = new byte[16];
        int rows = 0;
        boolean last;
        for (;;) {
            long word = peekUint64();
            if (word == Wire.ROWS_DONE || word == Wire.ROWS_PART) {
                pos += 8;
                last = word == Wire.ROWS_DONE;
                break;
            }
            if (columns == 0) {
                throw malformed("a row in a result without columns");
            }
            need(headerBytes, "a row header");
            if ((rows + 1) * columns > types.length) {
                types = Arrays.copyOf(types, Math.max(types.length * 2, (rows + 1) * columns));
            }
            int base = rows * columns;
            for (int c = 0; c < columns; c++) {
                int b = buf[pos + c / 2];
                int code = (c & 1) == 0 ? b & 0x0f : (b >> 4) & 0x0f;
                if (DqliteType.ofCode(code) == null) {
                    throw malformed("unknown value type " + code + " in column " + (c + 1));
                }
                types[base + c] = (byte) code;
            }
            pos += headerBytes;
            for (int c = 0; c < columns; c++) {
                Object value = value(types[base + c]);
                // dqlite sends NULL in a DATETIME column as empty ISO 8601 text (go-dqlite reads it back as nil).
                if (types[base + c] == DqliteType.ISO8601.code() && "".equals(value)) {
                    types[base + c] = (byte) DqliteType.NULL.code();
                    value = null;
                }
                values.add(value);
            }
            rows++;
        }
        return new DqliteRowBatch(List.of(names), rows, values.toArray(), Arrays.copyOf(types, rows * columns), last);
    }

    private Object value(int code) {
        switch (code) {
            case 1:
                return uint64();
            case 2:
                return Double.longBitsToDouble(uint64());
            case 3:
            case 10:
                return text();
            case 4:
                return blob();
            case 5:
                uint64();
                return null;
            case 9:
                return Instant.ofEpochSecond(uint64());
            case 11:
                return uint64() != 0;
            default:
                throw malformed("unknown value type " + code);
        }
    }

    private void need(int n, String what) {
        if (limit - pos < n) {
            throw malformed("body ends where " + what + " was expected (" + (limit - pos) + " bytes left)");
        }
    }

    private DqliteProtocolException malformed(String detail) {
        return new DqliteProtocolException("malformed " + Wire.responseName(type) + " response: " + detail, null);
    }
}
