package dev.courier.concurrent;

/**
 * How long one waiter should spin before it parks, learned from how long its recent waits took.
 *
 * <p>A waiter whose partner answers within microseconds, the requester of a request/reply
 * exchange or a listener thread fed at a steady pace, is best served by polling: its waits end
 * while it spins and nobody pays for a park and an unpark. A waiter whose waits are long wastes a
 * core by spinning, one the threads doing the work may need. So the waiter reports each wait
 * ({@link #waited}), and an exponential moving average of them (each sample capped, so one long
 * pause does not silence spinning for long) decides the next spin ({@link #spinNanos}): while the
 * average is within the longest spin, spin a few times the average, up to that longest spin;
 * otherwise spin only briefly, to catch the next message of a burst. A wait that parked reports
 * its whole length including the wake-up, so a waiter that stopped spinning starts again once its
 * waits get short. The decision is made without a clock, so it is the same on every machine for
 * the same waits.
 *
 * <p>Threading: owned by one waiting thread at a time; a race between two waiters of the same
 * instance (a misused consumer) costs one decision, never correctness, so the fields are plain.
 */
public final class LearnedSpin {

    /** Weight of a new sample in the average: 1 / 2^SHIFT. */
    private static final int SHIFT = 2;
    /** The spin is this many times the average wait, so most waits near the average end within it. */
    private static final int HEADROOM = 8;

    private final long shortSpinNanos;
    private final long longestSpinNanos;
    private final long sampleCapNanos;
    private long averageNanos;

    /**
     * @param shortSpinNanos   the spin while waits are long (catches the next message of a burst)
     * @param longestSpinNanos the longest spin, reached while waits are short
     */
    public LearnedSpin(long shortSpinNanos, long longestSpinNanos) {
        if (shortSpinNanos < 0 || longestSpinNanos < shortSpinNanos) {
            throw new IllegalArgumentException("need 0 <= shortSpinNanos <= longestSpinNanos");
        }
        this.shortSpinNanos = shortSpinNanos;
        this.longestSpinNanos = longestSpinNanos;
        this.sampleCapNanos = 2 * longestSpinNanos;
        // Unknown at first: start as if waits were long, so a waiter spins only after it has seen short ones.
        this.averageNanos = sampleCapNanos;
    }

    /** How long to spin before parking for the next wait. */
    public long spinNanos() {
        long average = averageNanos;
        if (average > longestSpinNanos) {
            return shortSpinNanos;
        }
        return Math.max(shortSpinNanos, Math.min(longestSpinNanos, HEADROOM * average));
    }

    /** Reports a wait that has ended, whether it ended while spinning or parked. */
    public void waited(long nanos) {
        long sample = Math.max(0, Math.min(nanos, sampleCapNanos));
        averageNanos += (sample - averageNanos) >> SHIFT;
    }

    /** The current average wait, as the next decision sees it. */
    long averageNanos() {
        return averageNanos;
    }
}
