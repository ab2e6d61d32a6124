package io.sqliteasync.examples.docs;

import io.sqliteasync.codec.Codec;
import java.math.BigDecimal;
import java.util.Set;

// snippet:types-codec
public final class MoneyCodec implements Codec<Money> {
    public boolean canEncode(Class<?> type) { return type == Money.class; }
    public boolean canDecode(Class<?> type) { return type == Money.class; }
    public Object encode(Money m) { return m.amount().toPlainString() + " " + m.currency(); }
    public Money decode(Object value, Class<?> type) {     // value is a Long, Double, String or byte[]
        String[] parts = value.toString().split(" ");
        return new Money(new BigDecimal(parts[0]), parts[1]);
    }
    public Set<String> declaredTypes() { return Set.of("MONEY"); }
    public Class<?> declaredJavaType() { return Money.class; }
}
// end-snippet
