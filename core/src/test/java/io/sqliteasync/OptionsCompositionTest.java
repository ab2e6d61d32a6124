package io.sqliteasync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqliteasync.codec.CodecRegistry;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** {@link DatabaseOptions} holds a {@link ConnectionOptions}; both are value objects built by builders. */
class OptionsCompositionTest {
    private static final Executor EXECUTOR = Runnable::run;

    private static ConnectionOptions prepared() {
        return ConnectionOptions.builder("prepared.db")
                .pragma("cache_size", "-100")
                .busyTimeout(Duration.ofSeconds(2))
                .prefetch(7)
                .statementCacheSize(3)
                .workerThreadName("app")
                .completionExecutor(EXECUTOR)
                .progressSteps(500)
                .callbackTimeout(Duration.ofSeconds(4))
                .shutdownDrainTimeout(Duration.ofSeconds(1))
                .build();
    }

    @Test
    void databaseOptionsAccessorsDelegateToTheConnectionOptionsTheyHold() {
        DatabaseOptions d = DatabaseOptions.builder("app.db").prefetch(9).statementCacheSize(0)
                .busyTimeout(Duration.ofMillis(1500)).completionExecutor(EXECUTOR).progressSteps(77)
                .callbackTimeout(Duration.ofSeconds(3)).shutdownDrainTimeout(Duration.ZERO)
                .pragma("mmap_size", "0").build();
        ConnectionOptions c = d.connection();
        assertThat(c.path()).isEqualTo("app.db").isEqualTo(d.path());
        assertThat(c.prefetch()).isEqualTo(9).isEqualTo(d.prefetch());
        assertThat(c.statementCacheSize()).isZero().isEqualTo(d.statementCacheSize());
        assertThat(c.busyTimeout()).isEqualTo(Duration.ofMillis(1500)).isEqualTo(d.busyTimeout());
        assertThat(c.completionExecutor()).isSameAs(EXECUTOR).isSameAs(d.completionExecutor());
        assertThat(c.progressSteps()).isEqualTo(77).isEqualTo(d.progressSteps());
        assertThat(c.callbackTimeout()).isEqualTo(Duration.ofSeconds(3)).isEqualTo(d.callbackTimeout());
        assertThat(c.shutdownDrainTimeout()).isZero().isEqualTo(d.shutdownDrainTimeout());
        assertThat(c.pragmas()).containsExactly(java.util.Map.entry("mmap_size", "0")).isEqualTo(d.pragmas());
        assertThat(c.codecs()).isSameAs(CodecRegistry.defaults()).isSameAs(d.codecs());
    }

    @Test
    void connectionStartsFromPreparedOptionsButKeepsTheDatabasePath() {
        ConnectionOptions prepared = prepared();
        DatabaseOptions d = DatabaseOptions.builder("app.db").prefetch(99).pragma("mmap_size", "0")
                .connection(prepared).statementCacheSize(11).build();
        assertThat(d.path()).isEqualTo("app.db");
        assertThat(d.connection()).isEqualTo(prepared.toBuilder().path("app.db").statementCacheSize(11).build());
        // Set before connection(...): replaced by the prepared options, pragmas included.
        assertThat(d.prefetch()).isEqualTo(7);
        assertThat(d.pragmas()).containsOnlyKeys("cache_size");
        // The prepared options are values: building on top of them never changes them.
        assertThat(prepared.statementCacheSize()).isEqualTo(3);
        assertThat(prepared.path()).isEqualTo("prepared.db");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ConnectionOptions c = ConnectionOptions.of("x.db");
        assertThat(c.prefetch()).isEqualTo(ConnectionOptions.DEFAULT_PREFETCH);
        assertThat(c.statementCacheSize()).isEqualTo(ConnectionOptions.DEFAULT_STATEMENT_CACHE_SIZE);
        assertThat(c.busyTimeout()).isEqualTo(ConnectionOptions.DEFAULT_BUSY_TIMEOUT);
        assertThat(c.callbackTimeout()).isEqualTo(ConnectionOptions.DEFAULT_CALLBACK_TIMEOUT);
        assertThat(c.shutdownDrainTimeout()).isEqualTo(ConnectionOptions.DEFAULT_SHUTDOWN_DRAIN_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(c.create()).isTrue();
        assertThat(c.readOnly()).isFalse();
        assertThat(c.workerThreadName()).isNull();
        assertThat(c.completionExecutor()).isNull();
        DatabaseOptions d = DatabaseOptions.of("x.db");
        assertThat(d.connection()).isEqualTo(c);
        assertThat(d.readers()).isEqualTo(DatabaseOptions.defaultReaders());
        assertThat(d.acquireTimeout()).isEqualTo(DatabaseOptions.DEFAULT_ACQUIRE_TIMEOUT);
        assertThat(d.transactionTimeout()).isEqualTo(DatabaseOptions.DEFAULT_TRANSACTION_TIMEOUT);
        assertThat(d.synchronous()).isEqualTo("NORMAL");
        assertThat(d.tempStore()).isEqualTo("MEMORY");
        assertThat(d.cacheSize()).isEqualTo(DatabaseOptions.DEFAULT_CACHE_SIZE);
        assertThat(d.initializer()).isNull();
    }

    @Test
    void equalSettingsMakeEqualOptionsAndToBuilderRoundTrips() {
        ConnectionOptions c = prepared();
        assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c).isNotSameAs(c);
        assertThat(c.toBuilder().prefetch(8).build()).isNotEqualTo(c);
        assertThat(c.toBuilder().shutdownDrainTimeout(Duration.ofSeconds(2)).build()).isNotEqualTo(c);
        ConnectionInitializer init = (conn, writer) -> { };
        DatabaseOptions d = DatabaseOptions.builder("app.db").connection(c).readers(3).initializer(init)
                .acquireTimeout(Duration.ZERO).transactionTimeout(Duration.ofSeconds(5)).synchronous("FULL")
                .tempStore("FILE").cacheSize(100).build();
        assertThat(d.toBuilder().build()).isEqualTo(d).hasSameHashCodeAs(d);
        assertThat(d.toBuilder().readers(4).build()).isNotEqualTo(d);
        assertThat(d.toBuilder().prefetch(8).build()).isNotEqualTo(d);
        assertThat(DatabaseOptions.of("a.db")).isEqualTo(DatabaseOptions.of("a.db")).isNotEqualTo(
                DatabaseOptions.of("b.db"));
    }

    @Test
    void toStringNamesEverySetting() {
        assertThat(prepared().toString()).startsWith("ConnectionOptions[path=prepared.db")
                .contains("prefetch=7", "pragmas={cache_size=-100}", "workerThreadName=app",
                        "shutdownDrainTimeout=PT1S", "callbackTimeout=PT4S");
        assertThat(DatabaseOptions.builder("d.db").readers(2).build().toString()).startsWith("DatabaseOptions[")
                .contains("readers=2", "synchronous=NORMAL", "connection=ConnectionOptions[path=d.db");
    }

    @Test
    void outOfRangeAndMissingValuesAreRefusedWithTheSettingNamed() {
        assertThatThrownBy(() -> ConnectionOptions.builder("x.db").shutdownDrainTimeout(Duration.ofSeconds(-1))
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shutdownDrainTimeout");
        assertThatThrownBy(() -> ConnectionOptions.builder("x.db").shutdownDrainTimeout(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("shutdownDrainTimeout");
        assertThatThrownBy(() -> ConnectionOptions.builder("x.db").callbackTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callbackTimeout");
        assertThatThrownBy(() -> ConnectionOptions.builder("x.db").statementCacheSize(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("statementCacheSize");
        assertThatThrownBy(() -> ConnectionOptions.builder("x.db").progressSteps(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("progressSteps");
        assertThatThrownBy(() -> ConnectionOptions.builder("x.db").pragma("foreign_keys", null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("foreign_keys");
        assertThatThrownBy(() -> ConnectionOptions.builder(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("path");
        assertThatThrownBy(() -> DatabaseOptions.builder("x.db").prefetch(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefetch");
        assertThatThrownBy(() -> DatabaseOptions.builder("x.db").tempStore("MEMORY; --").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tempStore");
        assertThatThrownBy(() -> DatabaseOptions.builder("x.db").connection(null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DatabaseOptions.builder("x.db")
                .connection(ConnectionOptions.builder("x.db").readOnly(true).build()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readOnly");
    }

    @Test
    void aBuilderCanBuildAgainAfterAFailedBuild() {
        ConnectionOptions.Builder b = ConnectionOptions.builder("x.db").prefetch(0);
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.prefetch(1).build().prefetch()).isEqualTo(1);
    }
}
