package io.sqliteasync.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A virtual thread that joins a future never spins (its spin would hold a carrier); a platform thread does. */
class VirtualThreadSpinTest {
    @Test
    void aVirtualJoinerNeverSpinsWhateverItsWaits() throws Exception {
        AtomicLong before = new AtomicLong(-1);
        AtomicLong after = new AtomicLong(-1);
        AtomicReference<Boolean> virtual = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            SpinBudget b = SpinBudget.forJoiner(Thread.currentThread());
            virtual.set(SpinBudget.isVirtual(Thread.currentThread()));
            before.set(b.limitNanos(0));
            for (int i = 0; i < 10; i++) {
                b.observe(i * 1_000L, i * 1_000L + 100);
            }
            after.set(b.limitNanos(20_000));
        });
        t.join();
        assertThat(virtual.get()).isTrue();
        assertThat(before.get()).isZero();
        assertThat(after.get()).as("short waits do not make a virtual thread spin").isZero();
    }

    @Test
    void aPlatformJoinerSpins() {
        SpinBudget b = SpinBudget.forJoiner(Thread.currentThread());
        assertThat(SpinBudget.isVirtual(Thread.currentThread())).isFalse();
        assertThat(b.limitNanos(0)).isEqualTo(SpinBudget.MAX_SPIN_NANOS);
    }

    @Test
    void aVirtualThreadJoinsResultsAndFailures() throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            SqliteFuture<String> ok = new SqliteFuture<>();
            Thread.ofPlatform().start(() -> ok.complete("done"));
            SqliteFuture<String> failed = new SqliteFuture<>();
            Thread.ofPlatform().start(() -> failed.completeExceptionally(new IllegalStateException("boom")));
            String value = ok.join();
            try {
                failed.join();
                seen.set("no failure");
            } catch (RuntimeException e) {
                seen.set(value + "/" + e.getCause().getMessage());
            }
        });
        t.join();
        assertThat(seen.get()).isEqualTo("done/boom");
    }
}
