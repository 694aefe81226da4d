package dev.courier.jms;

import java.util.ArrayDeque;

/**
 * A consumer's prefetched messages in the order the application must see them: highest priority
 * first, then queue order. Messages the broker redelivers after a recover or rollback carry
 * their original queue position and so slot in ahead of later ones already buffered.
 *
 * <p>Not thread-safe: guarded by the owning consumer's lock.
 */
final class DeliveryBuffer {

    private static final int LEVELS = 10;

    @SuppressWarnings("unchecked")
    private final ArrayDeque<PendingDelivery>[] levels = new ArrayDeque[LEVELS];
    private int size;

    void add(PendingDelivery delivery) {
        int p = Math.max(0, Math.min(LEVELS - 1, delivery.record().priority()));
        ArrayDeque<PendingDelivery> level = levels[p];
        if (level == null) {
            level = new ArrayDeque<>();
            levels[p] = level;
        }
        size++;
        PendingDelivery last = level.peekLast();
        if (last == null || last.sequence() < delivery.sequence()) {
            level.addLast(delivery);
            return;
        }
        ArrayDeque<PendingDelivery> after = new ArrayDeque<>();
        while (!level.isEmpty() && level.peekLast().sequence() > delivery.sequence()) {
            after.addFirst(level.pollLast());
        }
        level.addLast(delivery);
        level.addAll(after);
    }

    PendingDelivery poll() {
        if (size == 0) {
            return null;
        }
        for (int p = LEVELS - 1; p >= 0; p--) {
            ArrayDeque<PendingDelivery> level = levels[p];
            if (level != null && !level.isEmpty()) {
                size--;
                return level.pollFirst();
            }
        }
        return null;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Removes and returns every buffered delivery id. */
    long[] drainIds() {
        long[] ids = new long[size];
        int i = 0;
        for (int p = LEVELS - 1; p >= 0; p--) {
            ArrayDeque<PendingDelivery> level = levels[p];
            if (level != null) {
                for (PendingDelivery d : level) {
                    ids[i++] = d.deliveryId();
                }
                level.clear();
            }
        }
        size = 0;
        return ids;
    }
}
