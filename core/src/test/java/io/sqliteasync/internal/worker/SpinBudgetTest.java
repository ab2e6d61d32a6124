package io.sqliteasync.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The adaptive spin budget: spins that fail shrink it to parking at once, with an occasional probe to recover. */
class SpinBudgetTest {
    @Test
    void aFreshWaiterSpinsTheFullBudget() {
        assertThat(new SpinBudget().rounds()).isEqualTo(SpinBudget.MAX_ROUNDS);
    }

    @Test
    void failedSpinsDegradeToParkingAtOnceApartFromARareOneRoundProbe() {
        SpinBudget b = new SpinBudget();
        int failures = 0;
        while (b.budget() > 0) {
            b.failed();
            failures++;
        }
        assertThat(failures).as("halving from the maximum reaches zero in log2 steps").isEqualTo(9);
        List<Integer> next = new ArrayList<>();
        for (int i = 0; i < 2 * SpinBudget.PROBE_EVERY; i++) {
            next.add(b.rounds());
        }
        assertThat(next).as("waits with a zero budget").containsOnly(0, 1);
        assertThat(next.stream().filter(r -> r == 1).count()).as("probes").isEqualTo(2);
        assertThat(next.get(SpinBudget.PROBE_EVERY - 1)).isEqualTo(1);
    }

    @Test
    void successfulSpinsRestoreTheBudgetUpToTheMaximum() {
        SpinBudget b = new SpinBudget();
        for (int i = 0; i < 20; i++) {
            b.failed();
        }
        b.succeeded();
        assertThat(b.budget()).isEqualTo(1);
        b.succeeded();
        assertThat(b.budget()).isEqualTo(3);
        for (int i = 0; i < 20; i++) {
            b.succeeded();
        }
        assertThat(b.budget()).isEqualTo(SpinBudget.MAX_ROUNDS);
    }

    @Test
    void alternatingOutcomesKeepTheBudgetBounded() {
        SpinBudget b = new SpinBudget();
        for (int i = 0; i < 1000; i++) {
            if (i % 2 == 0) {
                b.failed();
            } else {
                b.succeeded();
            }
            assertThat(b.budget()).isBetween(0, SpinBudget.MAX_ROUNDS);
        }
    }
}
