package io.sqliteasync.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The adaptive spin limit, driven with made-up clock values: waits longer than a spin could cover shrink it to
 * parking at once, the first short wait (even one that parked) brings it back, and spin rounds descheduled again and
 * again make the waiter park at once for a quiet period that grows while the contention lasts.
 */
class SpinBudgetTest {
    private static final long LONG_WAIT = 10 * SpinBudget.MAX_SPIN_NANOS;

    private static void waitFor(SpinBudget b, long now, long nanos) {
        b.observe(now, now + nanos);
    }

    @Test
    void aFreshWaiterSpinsTheWholeCap() {
        assertThat(new SpinBudget().limitNanos(0)).isEqualTo(SpinBudget.MAX_SPIN_NANOS);
    }

    @Test
    void longWaitsDegradeToParkingAtOnce() {
        SpinBudget b = new SpinBudget();
        int waits = 0;
        while (b.limitNanos(0) > 0) {
            waitFor(b, 0, LONG_WAIT);
            waits++;
        }
        assertThat(waits).as("halving from the cap falls below the minimum in a few waits").isEqualTo(5);
        waitFor(b, 0, LONG_WAIT);
        assertThat(b.limitNanos(0)).isZero();
    }

    @Test
    void oneShortWaitAfterParkingRestoresSpinningToTwiceThatWait() {
        SpinBudget b = new SpinBudget();
        for (int i = 0; i < 20; i++) {
            waitFor(b, 0, LONG_WAIT);
        }
        assertThat(b.limitNanos(0)).isZero();
        // A wait of 10 us that parked (a spin of 20 us would have caught it).
        waitFor(b, 0, 10_000);
        assertThat(b.limitNanos(0)).isEqualTo(20_000);
    }

    @Test
    void veryShortWaitsStillSpinTheMinimum() {
        SpinBudget b = new SpinBudget();
        for (int i = 0; i < 20; i++) {
            waitFor(b, 0, LONG_WAIT);
        }
        waitFor(b, 0, 100);
        assertThat(b.limitNanos(0)).isEqualTo(SpinBudget.MIN_SPIN_NANOS);
    }

    @Test
    void aShortWaitNeverShrinksTheLimit() {
        SpinBudget b = new SpinBudget();
        waitFor(b, 0, 100);
        assertThat(b.limitNanos(0)).isEqualTo(SpinBudget.MAX_SPIN_NANOS);
    }

    @Test
    void waitsAtTheCapCountAsShortAndJustBeyondAsLong() {
        SpinBudget b = new SpinBudget();
        waitFor(b, 0, SpinBudget.MAX_SPIN_NANOS);
        assertThat(b.limitNanos(0)).isEqualTo(SpinBudget.MAX_SPIN_NANOS);
        waitFor(b, 0, SpinBudget.MAX_SPIN_NANOS + 1);
        assertThat(b.limitNanos(0)).isEqualTo(SpinBudget.MAX_SPIN_NANOS / 2);
    }

    @Test
    void spinningGoesOnUntilTheLimitWhileRoundsAreQuick() {
        SpinBudget b = new SpinBudget();
        long start = 1_000;
        assertThat(b.keepSpinning(start, start, start + 500)).isTrue();
        assertThat(b.keepSpinning(start, start + 49_000, start + SpinBudget.MAX_SPIN_NANOS - 1)).isTrue();
        assertThat(b.keepSpinning(start, start + 49_500, start + SpinBudget.MAX_SPIN_NANOS)).as("limit reached")
                .isFalse();
        assertThat(b.limitNanos(start + SpinBudget.MAX_SPIN_NANOS)).as("reaching the limit is not contention")
                .isEqualTo(SpinBudget.MAX_SPIN_NANOS);
    }

    /** Runs one spin round of {@code roundNanos} ending at {@code end}; returns whether spinning goes on. */
    private static boolean round(SpinBudget b, long waitStart, long end, long roundNanos) {
        return b.keepSpinning(waitStart, end - roundNanos, end);
    }

    @Test
    void aLoneDescheduledRoundIsTakenForAPauseAndSpinningGoesOn() {
        SpinBudget b = new SpinBudget();
        long start = 5_000_000;
        assertThat(round(b, start, start + SpinBudget.CONTENDED_ROUND_NANOS, SpinBudget.CONTENDED_ROUND_NANOS))
                .isFalse();
        assertThat(b.limitNanos(start + SpinBudget.CONTENDED_ROUND_NANOS)).as("not contended: the limit stays")
                .isEqualTo(SpinBudget.MAX_SPIN_NANOS);
        // Another long round, but long after the first (a second collection, say): still no contention.
        long later = start + 2 * SpinBudget.LONG_ROUND_WINDOW_NANOS;
        round(b, later - 1_000, later, SpinBudget.CONTENDED_ROUND_NANOS);
        assertThat(b.limitNanos(later)).isEqualTo(SpinBudget.MAX_SPIN_NANOS);
    }

    @Test
    void twoDescheduledRoundsCloseTogetherParkAtOnceForTheQuietPeriodThenShortWaitsRestoreSpinning() {
        SpinBudget b = new SpinBudget();
        long start = 5_000_000;
        long first = start + SpinBudget.CONTENDED_ROUND_NANOS;
        round(b, start, first, SpinBudget.CONTENDED_ROUND_NANOS);
        long second = first + 1_000_000;
        assertThat(round(b, second - 300_000, second, 300_000)).isFalse();
        assertThat(b.limitNanos(second)).isZero();
        assertThat(b.quietNanos()).isEqualTo(SpinBudget.QUIET_NANOS);
        // Short waits inside the quiet period do not bring spinning back.
        waitFor(b, second + 1_000, 1_000);
        assertThat(b.limitNanos(second + 5_000)).isZero();
        long after = second + SpinBudget.QUIET_NANOS;
        assertThat(b.limitNanos(after - 1)).isZero();
        assertThat(b.limitNanos(after)).as("still nothing learned since the quiet period").isZero();
        waitFor(b, after, 3_000);
        assertThat(b.limitNanos(after + 3_000)).isEqualTo(6_000);
    }

    @Test
    void contentionThatPersistsDoublesTheQuietPeriodUpToTheMaximumAndCalmResetsIt() {
        SpinBudget b = new SpinBudget();
        long now = 1_000_000_000L;
        long expected = SpinBudget.QUIET_NANOS;
        for (int i = 0; i < 10; i++) {
            round(b, now - 1_000_000, now - 500_000, SpinBudget.CONTENDED_ROUND_NANOS);
            round(b, now - 300_000, now, SpinBudget.CONTENDED_ROUND_NANOS);
            assertThat(b.quietNanos()).as("quiet period after contention %d", i).isEqualTo(expected);
            // The quiet period ends; contention is seen again at once.
            now += b.quietNanos() + 2_000_000;
            expected = Math.min(SpinBudget.MAX_QUIET_NANOS, expected * 2);
        }
        assertThat(b.quietNanos()).isEqualTo(SpinBudget.MAX_QUIET_NANOS);
        // Calm for longer than a whole period: the next contention starts from the shortest period again.
        now += 2 * SpinBudget.MAX_QUIET_NANOS;
        round(b, now - 1_000_000, now - 500_000, SpinBudget.CONTENDED_ROUND_NANOS);
        round(b, now - 300_000, now, SpinBudget.CONTENDED_ROUND_NANOS);
        assertThat(b.quietNanos()).isEqualTo(SpinBudget.QUIET_NANOS);
    }

    @Property(tries = 300)
    void theLimitIsZeroOrBetweenTheMinimumAndTheCap(
            @ForAll @Size(max = 200) List<@LongRange(min = 0, max = 1_000_000) Long> waits) {
        SpinBudget b = new SpinBudget();
        long now = 0;
        for (long w : waits) {
            waitFor(b, now, w);
            now += w;
            long limit = b.limitNanos(now);
            assertThat(limit == 0 || (limit >= SpinBudget.MIN_SPIN_NANOS && limit <= SpinBudget.MAX_SPIN_NANOS))
                    .as("limit %d after a wait of %d", limit, w).isTrue();
            if (w <= SpinBudget.MAX_SPIN_NANOS) {
                assertThat(limit).as("a spin covers twice a short wait")
                        .isGreaterThanOrEqualTo(Math.min(SpinBudget.MAX_SPIN_NANOS, 2 * w));
            }
        }
    }
}
