package dev.courier.benchmarks;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exactly-once bookkeeping for one receiving side of a workload: how often each sequence number
 * of each producer arrived. A run fails if, once sending stopped, any number sent did not arrive
 * exactly once.
 *
 * <p>Threading: {@link #record} is called from any number of delivery threads at once (counts are
 * atomic; segments of one million numbers are created lazily with a compare-and-set). {@link #verify}
 * runs after deliveries have stopped.
 */
final class Ledger {

    private static final int SEGMENT_BITS = 20;
    private static final int SEGMENT_SIZE = 1 << SEGMENT_BITS;
    private static final int MAX_SEGMENTS = 2048;

    private final String name;
    private final AtomicReferenceArray<AtomicReferenceArray<AtomicIntegerArray>> counts;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();

    Ledger(String name, int producers) {
        this.name = name;
        this.counts = new AtomicReferenceArray<>(producers);
        for (int p = 0; p < producers; p++) {
            counts.set(p, new AtomicReferenceArray<>(MAX_SEGMENTS));
        }
    }

    /** Notes one arrival of message {@code seq} of producer {@code producer}. */
    void record(int producer, int seq) {
        if (producer < 0 || producer >= counts.length() || seq < 0) {
            throw new IllegalStateException(name + ": message with producer " + producer + " seq " + seq
                    + " was never sent");
        }
        AtomicReferenceArray<AtomicIntegerArray> segments = counts.get(producer);
        int index = seq >>> SEGMENT_BITS;
        AtomicIntegerArray segment = segments.get(index);
        if (segment == null) {
            segments.compareAndSet(index, null, new AtomicIntegerArray(SEGMENT_SIZE));
            segment = segments.get(index);
        }
        if (segment.incrementAndGet(seq & (SEGMENT_SIZE - 1)) > 1) {
            duplicates.increment();
        }
        delivered.increment();
    }

    /** Arrivals so far, duplicates included. */
    long delivered() {
        return delivered.sum();
    }

    /**
     * Checks that numbers {@code 0 .. sent[p]-1} of each producer {@code p} arrived exactly once.
     *
     * @throws WorkloadFailure naming the first lost or duplicated message and the totals
     */
    void verify(long[] sent) {
        long lost = 0;
        long duplicated = 0;
        String first = null;
        for (int p = 0; p < sent.length; p++) {
            AtomicReferenceArray<AtomicIntegerArray> segments = counts.get(p);
            for (long seq = 0; seq < sent[p]; seq++) {
                AtomicIntegerArray segment = segments.get((int) (seq >>> SEGMENT_BITS));
                int n = segment == null ? 0 : segment.get((int) (seq & (SEGMENT_SIZE - 1)));
                if (n != 1) {
                    if (n == 0) {
                        lost++;
                    } else {
                        duplicated++;
                    }
                    if (first == null) {
                        first = "producer " + p + " message " + seq + " arrived " + n + " times";
                    }
                }
            }
        }
        long expected = java.util.Arrays.stream(sent).sum();
        if (first != null || delivered() != expected) {
            throw new WorkloadFailure(name + ": " + expected + " sent, " + delivered() + " arrived, " + lost
                    + " lost, " + duplicated + " duplicated" + (first == null ? "" : "; first: " + first));
        }
    }
}
