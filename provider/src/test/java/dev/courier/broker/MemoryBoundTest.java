package dev.courier.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-queue memory bound on its own: the full flag, the topic's counter, and waiting senders. */
class MemoryBoundTest {

    @Test
    void isFullFromTheBoundUpAndNotBelowIt() {
        MemoryBound bound = new MemoryBound(100);
        bound.added(99);
        assertFalse(bound.isFull());
        bound.added(1);
        assertTrue(bound.isFull());
        assertEquals(0, bound.room());
        bound.removed(1);
        assertFalse(bound.isFull());
        assertEquals(99, bound.bytes());
    }

    @Test
    void aWaiterRunsOnceWhenMemoryDropsBelowTheBound() {
        MemoryBound bound = new MemoryBound(100);
        AtomicInteger runs = new AtomicInteger();
        assertFalse(bound.awaitRoom(runs::incrementAndGet), "there is room: nothing to wait for");
        bound.added(150);
        assertTrue(bound.awaitRoom(runs::incrementAndGet));
        bound.removed(40);
        assertEquals(0, runs.get(), "still at the bound");
        bound.removed(20);
        assertEquals(1, runs.get());
        bound.added(100);
        bound.removed(100);
        assertEquals(1, runs.get(), "a waiter runs once");
    }

    @Test
    void aCancelledWaiterNeverRuns() {
        MemoryBound bound = new MemoryBound(10);
        AtomicInteger runs = new AtomicInteger();
        Runnable waiter = runs::incrementAndGet;
        bound.added(10);
        assertTrue(bound.awaitRoom(waiter));
        bound.cancelWait(waiter);
        bound.removed(10);
        assertEquals(0, runs.get());
    }

    @Test
    void theCounterCountsTheQueueWhileItIsFull() {
        MemoryBound bound = new MemoryBound(10);
        AtomicInteger fullQueues = new AtomicInteger();
        bound.added(10);
        bound.countFullIn(fullQueues);
        assertEquals(1, fullQueues.get(), "already full when counting starts");
        bound.removed(5);
        assertEquals(0, fullQueues.get());
        bound.added(5);
        assertEquals(1, fullQueues.get());
        bound.countFullIn(null);
        assertEquals(0, fullQueues.get(), "no longer counted");
    }
}
