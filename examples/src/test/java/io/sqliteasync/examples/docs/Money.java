package io.sqliteasync.examples.docs;

import java.math.BigDecimal;

// snippet:types-codec
public record Money(BigDecimal amount, String currency) {}
// end-snippet
