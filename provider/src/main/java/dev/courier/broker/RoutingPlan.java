package dev.courier.broker;

import java.util.ArrayList;
import java.util.List;

/**
 * Where one or more messages go, decided before anything is made durable: the entries to put on
 * which queues once the store has committed. Used by one thread, once.
 */
final class RoutingPlan {

    private final List<MessageQueue> queues = new ArrayList<>(2);
    private final List<QueueEntry> entries = new ArrayList<>(2);

    void add(MessageQueue queue, QueueEntry entry) {
        queues.add(queue);
        entries.add(entry);
    }

    /**
     * The first queue that is full and would get a message it cannot page (one that is not
     * stored), or null: the sender should wait for it before anything is committed.
     */
    MessageQueue fullQueueForUnstored() {
        for (int i = 0; i < entries.size(); i++) {
            if (!entries.get(i).isStored() && queues.get(i).isFull()) {
                return queues.get(i);
            }
        }
        return null;
    }

    /** Tells each queue about its stored entry before the store commit (see {@link MessageQueue}). */
    void announceStored() {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).isStored()) {
                queues.get(i).expectStored(entries.get(i).storeId);
            }
        }
    }

    /** The store commit failed: nothing announced will arrive. */
    void abandonStored() {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).isStored()) {
                queues.get(i).abandonStored(entries.get(i).storeId);
            }
        }
    }

    /** Enqueues every entry, or schedules it when it has a delivery time still to come. */
    void apply(Broker broker) {
        for (int i = 0; i < entries.size(); i++) {
            broker.enqueueWhenDue(queues.get(i), entries.get(i));
        }
    }
}
