package io.sqliteasync.codec;

import java.math.BigDecimal;

/** A test type with a codec found by ServiceLoader (see META-INF/services in the test resources). */
public record Money(BigDecimal amount, String currency) {

    /** Stores money as text such as {@code 12.50 EUR}; declared type {@code MONEY}. */
    public static final class MoneyCodec implements Codec<Money> {
        /** The ServiceLoader constructor. */
        public MoneyCodec() {
        }

        @Override
        public boolean canEncode(Class<?> type) {
            return type == Money.class;
        }

        @Override
        public boolean canDecode(Class<?> type) {
            return type == Money.class;
        }

        @Override
        public Object encode(Money value) {
            return value.amount().toPlainString() + " " + value.currency();
        }

        @Override
        public Money decode(Object value, Class<?> type) {
            String[] parts = value.toString().split(" ");
            if (parts.length != 2) {
                throw new IllegalArgumentException("'" + value + "' is not an amount and a currency");
            }
            return new Money(new BigDecimal(parts[0]), parts[1]);
        }

        @Override
        public java.util.Set<String> declaredTypes() {
            return java.util.Set.of("MONEY");
        }

        @Override
        public Class<?> declaredJavaType() {
            return Money.class;
        }
    }
}
