package dev.courier.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The policy is fed wait lengths directly: no clock, no threads. */
class LearnedSpinTest {

    private static final long US = 1_000;
    private static final long SHORT = 5 * US;
    private static final long LONGEST = 100 * US;

    private static LearnedSpin spin() {
        return new LearnedSpin(SHORT, LONGEST);
    }

    @Test
    void aNewWaiterSpinsOnlyBrieflyUntilItHasSeenShortWaits() {
        assertEquals(SHORT, spin().spinNanos());
    }

    @Test
    void waitsOfAFewMicrosecondsEarnSpinsOfSeveralTimesThatLength() {
        LearnedSpin spin = spin();
        for (int i = 0; i < 50; i++) {
            spin.waited(6 * US);
        }
        long spun = spin.spinNanos();
        assertTrue(spun > 6 * US && spun <= LONGEST, "spin " + spun);
    }

    @Test
    void waitsNearTheLongestSpinEarnTheLongestSpin() {
        LearnedSpin spin = spin();
        for (int i = 0; i < 50; i++) {
            spin.waited(60 * US);
        }
        assertEquals(LONGEST, spin.spinNanos());
    }

    @Test
    void longWaitsLeaveOnlyTheShortSpin() {
        LearnedSpin spin = spin();
        for (int i = 0; i < 50; i++) {
            spin.waited(6 * US);
        }
        for (int i = 0; i < 50; i++) {
            spin.waited(5_000 * US);
        }
        assertEquals(SHORT, spin.spinNanos());
    }

    @Test
    void oneLongPauseAmongShortWaitsIsForgottenWithinAFewWaits() {
        LearnedSpin spin = spin();
        for (int i = 0; i < 50; i++) {
            spin.waited(6 * US);
        }
        spin.waited(10_000_000 * US); // a ten-second pause: capped, so it weighs like any long wait
        int waits = 0;
        while (spin.spinNanos() == SHORT) {
            spin.waited(6 * US);
            waits++;
        }
        assertTrue(waits <= 3, "spinning again after " + waits + " short waits");
        assertTrue(spin.averageNanos() <= 2 * LONGEST);
    }

    @Test
    void aWaiterThatParkedAndWokeQuicklyStartsSpinningAgain() {
        LearnedSpin spin = spin();
        for (int i = 0; i < 50; i++) {
            spin.waited(5_000 * US);
        }
        // Short waits that the short spin missed are reported with the wake-up: some tens of microseconds.
        for (int i = 0; i < 20; i++) {
            spin.waited(40 * US);
        }
        assertEquals(LONGEST, spin.spinNanos());
    }

    @Test
    void theSpinNeverLeavesItsBounds() {
        LearnedSpin spin = spin();
        long[] waits = {0, 1, 3 * US, 250 * US, Long.MAX_VALUE, -5, 99 * US, 1_000_000 * US};
        for (int round = 0; round < 10; round++) {
            for (long wait : waits) {
                spin.waited(wait);
                long spun = spin.spinNanos();
                assertTrue(spun >= SHORT && spun <= LONGEST, "spin " + spun + " after a wait of " + wait);
            }
        }
    }

    @Test
    void boundsOutOfOrderAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LearnedSpin(10, 5));
        assertThrows(IllegalArgumentException.class, () -> new LearnedSpin(-1, 5));
    }
}
