package dev.courier.concurrent;

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
 * spinner that has not seen its answer after a few microseconds yields its core between polls
 * ({@link #pause}), since it cannot know whether other threads, inside Courier or not, want it,
 * and gives its slot back while it yields: measured on two cores, a spinner descheduled while
 * holding the only slot made its request/reply partner park on every other exchange.
 *
 * <p>Threading: any thread; the count is one atomic integer.
 */
public final class SpinSlots {

    /** Polls with a bare spin-wait hint before a spinner starts yielding its core between polls. */
    static final int EAGER_POLLS = 64;
    /** How often {@link #take} looks for a free slot before it gives up: a few microseconds. */
    static final int GRACE_POLLS = 32;

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

    /**
     * Takes a slot, polling a few times ({@link #GRACE_POLLS}) if none is free: the partner of a
     * ping-pong gives its slot back the moment its own wait ends, which is often the moment this
     * waiter starts. The caller must {@link #give} the slot back when it stops spinning.
     *
     * @return false when no slot came free: the caller parks without spinning
     */
    public boolean take() {
        for (int polls = 0; polls < GRACE_POLLS; polls++) {
            if (tryTake()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    /** Takes a slot if one is free now; the caller must {@link #give} it back when it stops spinning. */
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

    /** What a spinner polls for: the end of its wait. Cheap and side-effect free. */
    @FunctionalInterface
    public interface Awaited {

        /** True once the wait is over. */
        boolean ended();
    }

    /**
     * Polls {@code awaited} until it ends or {@code deadline} ({@link System#nanoTime}) passes, if a
     * slot can be taken ({@link #take}), pausing between polls as {@link #pause} says; returns at
     * once without one. Either way the caller then parks as usual if the wait has not ended.
     * Waiters pass an {@code Awaited} they keep (themselves or a field), so a wait allocates nothing.
     */
    public void spinUntil(Awaited awaited, long deadline) {
        if (awaited.ended() || System.nanoTime() - deadline >= 0 || !take()) {
            return;
        }
        boolean holding = true;
        try {
            int polls = 0;
            while (!awaited.ended() && System.nanoTime() - deadline < 0) {
                if (!(holding = pause(polls++))) {
                    return;
                }
            }
        } finally {
            if (holding) {
                give();
            }
        }
    }

    /** Slots taken right now. */
    public int taken() {
        return taken.get();
    }

    /**
     * One pause between two polls of a spinner that holds a slot and has polled {@code polls}
     * times: a spin-wait hint at first (the answer is likely microseconds away), then a yield of
     * the core, so a runnable thread that shares it, which may be the very one that will end the
     * wait, runs. The slot is given back while yielding (a thread that is not running must not
     * keep another waiter from spinning) and taken again after.
     *
     * @return false when the slot was given back and none was free again: the caller has no slot
     *         and must stop spinning
     */
    public boolean pause(int polls) {
        if (polls < EAGER_POLLS) {
            Thread.onSpinWait();
            return true;
        }
        give();
        Thread.yield();
        return tryTake();
    }
}
