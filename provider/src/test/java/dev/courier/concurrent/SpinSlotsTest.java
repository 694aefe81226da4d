package dev.courier.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SpinSlotsTest {

    @Test
    void noMoreSpinnersThanSlotsAndAGivenSlotCanBeTakenAgain() {
        SpinSlots slots = new SpinSlots(2);
        assertTrue(slots.tryTake());
        assertTrue(slots.tryTake());
        assertFalse(slots.tryTake(), "a third spinner must park at once");
        assertEquals(2, slots.taken());
        slots.give();
        assertTrue(slots.tryTake());
        assertFalse(slots.tryTake());
    }

    @Test
    void spinUntilPollsUntilTheWaitEndsAndGivesItsSlotBack() {
        SpinSlots slots = new SpinSlots(1);
        AtomicInteger polls = new AtomicInteger();
        slots.spinUntil(() -> polls.incrementAndGet() >= 200, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        assertEquals(200, polls.get(), "polled until the wait ended, past the yielding threshold");
        assertEquals(0, slots.taken());
    }

    @Test
    void spinUntilWithoutAFreeSlotOrPastItsDeadlineLooksOnceAndReturns() {
        SpinSlots slots = new SpinSlots(1);
        AtomicInteger polls = new AtomicInteger();
        slots.spinUntil(() -> polls.incrementAndGet() < 0, System.nanoTime() - 1);
        assertEquals(1, polls.get(), "a deadline already passed");
        assertTrue(slots.tryTake());
        polls.set(0);
        slots.spinUntil(() -> polls.incrementAndGet() < 0, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        assertEquals(1, polls.get(), "no slot: the caller parks instead");
        assertEquals(1, slots.taken(), "the holder keeps its slot");
        slots.give();
    }

    @Test
    void takeWaitsOnlyAFewPollsForASlot() {
        SpinSlots slots = new SpinSlots(1);
        assertTrue(slots.take());
        assertFalse(slots.take(), "nobody gives the slot back, so take gives up");
        slots.give();
        assertTrue(slots.take());
    }

    @Test
    void aSpinnerKeepsItsSlotWhilePollingAndGetsItBackAfterYieldingWhenNobodyTookIt() {
        SpinSlots slots = new SpinSlots(1);
        assertTrue(slots.take());
        for (int polls = 0; polls < SpinSlots.EAGER_POLLS + 10; polls++) {
            assertTrue(slots.pause(polls), "poll " + polls);
            assertEquals(1, slots.taken());
        }
        slots.give();
        assertEquals(0, slots.taken());
    }

    @Test
    void noSlotsMeansNobodySpins() {
        assertFalse(new SpinSlots(0).tryTake());
        assertFalse(new SpinSlots(-1).tryTake(), "one core: availableProcessors() - 1 is 0");
    }

    @Test
    void theSharedSlotsLeaveOneCoreUnspun() {
        SpinSlots shared = SpinSlots.shared();
        int cores = Runtime.getRuntime().availableProcessors();
        int got = 0;
        while (got <= cores && shared.tryTake()) {
            got++;
        }
        for (int i = 0; i < got; i++) {
            shared.give();
        }
        // Other tests' waiters may hold shared slots meanwhile, so this can only bound from above.
        assertTrue(got <= cores - 1, "took " + got + " slots on " + cores + " cores");
    }

    /** Many threads racing for one slot: at no moment do two hold it. */
    @Test
    void racingThreadsNeverHoldMoreSlotsThanThereAre() throws Exception {
        SpinSlots slots = new SpinSlots(1);
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger overbooked = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 50_000; i++) {
                    if (slots.tryTake()) {
                        granted.incrementAndGet();
                        if (holders.incrementAndGet() > 1) {
                            overbooked.incrementAndGet();
                        }
                        holders.decrementAndGet();
                        slots.give();
                    }
                }
            });
            thread.start();
            all.add(thread);
        }
        start.countDown();
        for (Thread thread : all) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(thread.isAlive());
        }
        assertEquals(0, overbooked.get());
        assertTrue(granted.get() > 0);
        assertEquals(0, slots.taken());
    }
}
