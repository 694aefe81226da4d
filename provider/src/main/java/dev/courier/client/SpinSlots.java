package dev.courier.client;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process-wide allowance of threads that may busy-wait at once, so that Courier's waiters
 * never spin on the cores that the threads doing the work need.
 *
 * <p>A waiter that expects its wait to end within microseconds (see {@link LearnedSpin}) polls
 * instead of parking, because a park costs its partner an unpark and itself a reschedule, tens of
 * microseconds on a virtual machine. That pays only while a core is free for the spinning: with
 * one spinner per core, the threads doing the work wait for the spinners instead. So a waiter
 * spins only if it takes a slot here; there are {@code availableProcessors() - 1} of them by
 * default (no spinning at all on one core), or as many as the system property
 * {@value #SLOTS_PROPERTY} says (0 turns spinning off), and a waiter that finds none parks at once. A
 * spinner also gives its core away now and then ({@link #pause}): it cannot know whether threads
 * outside Courier want it.
 *
 * <p>Threading: any thread; the count is one atomic integer.
 */
public final class SpinSlots {

    /** Polls with a bare spin-wait hint before a spinner starts yielding its core between polls. */
    static final int EAGER_POLLS = 64;

    /** System property: how many threads of this JVM may spin at once. */
    public static final String SLOTS_PROPERTY = "courier.spinSlots";

    private static final SpinSlots SHARED = new SpinSlots(
            Integer.getInteger(SLOTS_PROPERTY, Runtime.getRuntime().availableProcessors() - 1));

    private final int limit;
    private final AtomicInteger taken = new AtomicInteger();

    /** @param limit how many threads may spin at once; 0 or less: none */
    public SpinSlots(int limit) {
        this.limit = Math.max(0, limit);
    }

    /** The slots every Courier waiter in this JVM shares. */
    public static SpinSlots shared() {
        return SHARED;
    }

    /** Takes a slot if one is free; the caller must {@link #give} it back when it stops spinning. */
    public boolean tryTake() {
        while (true) {
            int now = taken.get();
            if (now >= limit) {
                return false;
            }
            if (taken.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Returns a slot taken with {@link #tryTake}. */
    public void give() {
        taken.decrementAndGet();
    }

    /** Slots taken right now. */
    public int taken() {
        return taken.get();
    }

    /**
     * One pause between two polls of a spinner that has polled {@code polls} times: a spin-wait
     * hint at first (the answer is likely microseconds away), then a yield of the core, so a
     * runnable thread that shares it, which may be the very one that will end the wait, runs.
     */
    public static void pause(int polls) {
        if (polls < EAGER_POLLS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
