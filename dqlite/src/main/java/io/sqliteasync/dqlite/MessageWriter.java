package io.sqliteasync.dqlite;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Arrays;

/**
 * Encodes one request: an 8-byte header (body size in words, type, schema) and a body of word-aligned fields, all
 * little-endian. Reused for every request of a connection; {@link #start()} begins the next one.
 */
final class MessageWriter {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** The layout go-dqlite sends for time values: fraction without trailing zeros, offset as +hh:mm. */
    static final DateTimeFormatter ISO8601 = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendOffset("+HH:MM", "+00:00")
            .toFormatter();

    private byte[] buf;
    private int pos;

    MessageWriter() {
        this.buf = new byte[512];
        this.pos = Wire.HEADER;
    }

    MessageWriter start() {
        pos = Wire.HEADER;
        return this;
    }

    void uint64(long v) {
        ensure(8);
        LONG.set(buf, pos, v);
        pos += 8;
    }

    void uint32(int v) {
        ensure(4);
        INT.set(buf, pos, v);
        pos += 4;
    }

    void uint8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    /** UTF-8 bytes, a NUL, then zeros up to the next word boundary. */
    void text(String s, String what) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            if (b == 0) {
                throw new IllegalArgumentException(what + " contains a NUL character, which dqlite's text encoding "
                        + "(NUL-terminated) cannot carry" + (what.startsWith("parameter") ? "; bind it as a blob (byte[])" : ""));
            }
        }
        int size = align(bytes.length + 1);
        ensure(size);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        Arrays.fill(buf, pos + bytes.length, pos + size, (byte) 0);
        pos += size;
    }

    /** A uint64 length, the bytes, then zeros up to the next word boundary. */
    void blob(byte[] bytes) {
        uint64(bytes.length);
        int size = align(bytes.length);
        ensure(size);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        Arrays.fill(buf, pos + bytes.length, pos + size, (byte) 0);
        pos += size;
    }

    /**
     * A parameter tuple: the count (one byte in schema 0, four in schema 1), one type byte per value, zeros up to
     * the next word boundary, then the values. Nothing at all for no parameters, as go-dqlite does.
     *
     * @return the schema the tuple used, which the request header must carry
     */
    int params(Object[] values, boolean wide) {
        int n = values == null ? 0 : values.length;
        if (n == 0) {
            return Wire.PARAMS_SCHEMA_V0;
        }
        int schema;
        if (n <= 255) {
            schema = Wire.PARAMS_SCHEMA_V0;
            uint8(n);
        } else if (wide) {
            schema = Wire.PARAMS_SCHEMA_V1;
            uint32(n);
        } else {
            throw new IllegalArgumentException(n + " parameters: dqlite servers take at most 255 unless they support "
                    + "parameter schema 1; enable DqliteClientOptions.wideParameters only for such servers");
        }
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = typeOf(values[i], i + 1);
            uint8(types[i]);
        }
        padToWord();
        for (int i = 0; i < n; i++) {
            value(types[i], values[i], i + 1);
        }
        return schema;
    }

    private static int typeOf(Object v, int index) {
        if (v == null) {
            return DqliteType.NULL.code();
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return DqliteType.INTEGER.code();
        } else if (v instanceof Double || v instanceof Float) {
            return DqliteType.FLOAT.code();
        } else if (v instanceof String) {
            return DqliteType.TEXT.code();
        } else if (v instanceof byte[]) {
            return DqliteType.BLOB.code();
        } else if (v instanceof Boolean) {
            return DqliteType.BOOLEAN.code();
        } else if (v instanceof OffsetDateTime || v instanceof Instant) {
            // Not UNIXTIME for Instant: dqlite 1.11 refuses that code in parameters (go-dqlite never sends it).
            return DqliteType.ISO8601.code();
        }
        throw new IllegalArgumentException("parameter " + index + " has type " + v.getClass().getName()
                + ", which dqlite cannot carry; use Long, Double, String, byte[], Boolean, OffsetDateTime, Instant "
                + "or null");
    }

    private void value(int type, Object v, int index) {
        switch (type) {
            case 1 -> uint64(((Number) v).longValue());
            case 2 -> uint64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
            case 3 -> text((String) v, "parameter " + index);
            case 4 -> blob((byte[]) v);
            case 5 -> uint64(0);
            case 10 -> text(ISO8601.format(v instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC)
                    : (OffsetDateTime) v), "parameter " + index);
            case 11 -> uint64(((Boolean) v) ? 1 : 0);
            default -> throw new AssertionError(type);
        }
    }

    private void padToWord() {
        int size = align(pos) - pos;
        ensure(size);
        Arrays.fill(buf, pos, pos + size, (byte) 0);
        pos += size;
    }

    /**
     * Writes the header for the body written so far.
     *
     * @return the length of the whole message, header included
     */
    int finish(int type, int schema) {
        int body = pos - Wire.HEADER;
        if (body <= 0 || body % Wire.WORD != 0) {
            throw new IllegalStateException("request body of " + body + " bytes is empty or not word-aligned");
        }
        INT.set(buf, 0, body / Wire.WORD);
        buf[4] = (byte) type;
        buf[5] = (byte) schema;
        buf[6] = 0;
        buf[7] = 0;
        return pos;
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return pos;
    }

    static int align(int n) {
        return (n + Wire.WORD - 1) & -Wire.WORD;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) pos + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("request larger than 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }
}
