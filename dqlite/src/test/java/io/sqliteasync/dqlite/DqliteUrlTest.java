package io.sqliteasync.dqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing and printing {@code dqlite://} locations. */
class DqliteUrlTest {
    @Test
    void seedsNameAndOptionsAreRead() {
        DqliteUrl u = DqliteUrl.parse("jdbc:dqlite://127.0.0.1:9001, [::1]:9002/my%20db?failoverTimeout=2s"
                + "&readTimeout=PT1M&dialTimeout=250&wideParameters=true&clientId=7&maxMessageSize=65536");
        assertThat(u.seeds()).containsExactly("127.0.0.1:9001", "[::1]:9002");
        assertThat(u.database()).isEqualTo("my db");
        assertThat(u.options().failoverTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(u.options().readTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(u.options().dialTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(u.options().wideParameters()).isTrue();
        assertThat(u.options().clientId()).isEqualTo(7);
        assertThat(u.options().maxMessageSize()).isEqualTo(65536);
    }

    @Test
    void printingGivesBackAnEqualLocation() {
        DqliteUrl u = new DqliteUrl(List.of("10.0.0.1:9001", "10.0.0.2:9001"), "app/x",
                DqliteClientOptions.builder().failoverTimeout(Duration.ofMillis(1500)).interruptTimeout(Duration.ofSeconds(3))
                        .discoveryTimeout(Duration.ofSeconds(4)).clientId(3).build());
        assertThat(DqliteUrl.parse(u.toString())).isEqualTo(u);
        assertThat(DqliteUrl.of(List.of("h:1"), "d").toString()).isEqualTo("dqlite://h:1/d");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sqlite://h:1/d | not a dqlite URL",
        "dqlite://h:1 | names the database",
        "dqlite://h:1/ | names the database",
        "dqlite:///d | at least one host:port",
        "dqlite://h/d | host:port",
        "dqlite://h:0/d | port out of range",
        "dqlite://h:1/a%00b | NUL",
        "dqlite://h:1/d?x=1 | unknown dqlite URL option 'x'",
        "dqlite://h:1/d?readTimeout | option without a value",
        "dqlite://h:1/d?readTimeout=-5s | readTimeout must be",
        "dqlite://h:1/d?wideParameters=yes | cannot read 'yes'",
        "dqlite://h:1/d?clientId=x | cannot read 'x'"})
    void aBadLocationIsRefusedNamingThePart(String url, String message) {
        assertThatThrownBy(() -> DqliteUrl.parse(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
