package io.sqliteasync.codec;

import java.math.BigDecimal;

/** Exact conversions between SQLite's storage classes and Java numbers, shared by the number codecs. */
final class Numeric {
    private Numeric() {
    }

    /** A whole number from INTEGER, an integral REAL, or numeric TEXT; anything inexact or out of range fails. */
    static long toLong(Object v) {
        if (v instanceof Long) {
            return (Long) v;
        }
        if (v instanceof Double) {
            double d = (Double) v;
            if (d != Math.rint(d) || d < -0x1p63 || d >= 0x1p63) {
                throw new IllegalArgumentException("REAL " + d + " is not a whole number in the range of long");
            }
            return (long) d;
        }
        if (v instanceof String) {
            try {
                return new BigDecimal(((String) v).trim()).longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("text '" + Codecs.abbreviate(v) + "' is not a whole number in the"
                        + " range of long", e);
            }
        }
        throw Codecs.wrongStorage(v, "INTEGER, REAL or numeric TEXT");
    }

    /** A long narrowed to a range, failing when it does not fit. */
    static long inRange(long l, long min, long max, String typeName) {
        if (l < min || l > max) {
            throw new IllegalArgumentException(l + " is out of range for " + typeName);
        }
        return l;
    }

    /** A double from REAL, INTEGER (nearest double) or numeric TEXT. */
    static double toDouble(Object v) {
        if (v instanceof Double) {
            return (Double) v;
        }
        if (v instanceof Long) {
            return ((Long) v).doubleValue();
        }
        if (v instanceof String) {
            try {
                return Double.parseDouble(((String) v).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("text '" + Codecs.abbreviate(v) + "' is not a number", e);
            }
        }
        throw Codecs.wrongStorage(v, "REAL, INTEGER or numeric TEXT");
    }

    /** An exact decimal from INTEGER, REAL (its shortest decimal form) or numeric TEXT. */
    static BigDecimal toBigDecimal(Object v) {
        if (v instanceof Long) {
            return BigDecimal.valueOf((Long) v);
        }
        if (v instanceof Double) {
            double d = (Double) v;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("REAL " + d + " has no decimal value");
            }
            return BigDecimal.valueOf(d);
        }
        if (v instanceof String) {
            try {
                return new BigDecimal(((String) v).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("text '" + Codecs.abbreviate(v) + "' is not a decimal number", e);
            }
        }
        throw Codecs.wrongStorage(v, "INTEGER, REAL or numeric TEXT");
    }
}
