package dev.courier.jms;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Deliveries on their way from the broker's dispatching thread to a consumer's
 * {@link DeliveryBuffer}.
 *
 * <p>The dispatching thread (a sender's, over {@code vm://}) must not wait for the consumer's
 * lock, which the consumer's own thread takes for every message it hands out: when both took it
 * per message they kept parking and waking each other. So a delivery is pushed here with one
 * compare-and-set, and the consuming side moves everything pushed so far into its buffer at
 * once, oldest first.
 *
 * <p>Threading: {@link #push} from any thread, without a lock; {@link #drainTo} by one thread at
 * a time (the consumer calls it under its lock). {@link #isEmpty} from any thread.
 */
final class DeliveryInbox {

    private static final VarHandle TOP;

    static {
        try {
            TOP = MethodHandles.lookup().findVarHandle(DeliveryInbox.class, "top", PendingDelivery.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The newest delivery pushed, linked to older ones through {@link PendingDelivery#next}. */
    private volatile PendingDelivery top;

    /** Adds a delivery; lock-free. */
    void push(PendingDelivery delivery) {
        PendingDelivery current;
        do {
            current = top;
            delivery.next = current;
        } while (!TOP.compareAndSet(this, current, delivery));
    }

    boolean isEmpty() {
        return top == null;
    }

    /** Moves every delivery pushed so far into {@code buffer}, oldest first; returns how many. */
    int drainTo(DeliveryBuffer buffer) {
        if (top == null) {
            return 0;
        }
        PendingDelivery newest = (PendingDelivery) TOP.getAndSet(this, null);
        PendingDelivery oldest = null;
        int count = 0;
        while (newest != null) {
            PendingDelivery older = newest.next;
            newest.next = oldest;
            oldest = newest;
            newest = older;
            count++;
        }
        while (oldest != null) {
            PendingDelivery newer = oldest.next;
            oldest.next = null;
            buffer.add(oldest);
            oldest = newer;
        }
        return count;
    }
}
