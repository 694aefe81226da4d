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

    /** Enqueues every entry, or schedules it when it has a delivery time still to come. */
    void apply(Broker broker) {
        for (int i = 0; i < entries.size(); i++) {
            broker.enqueueWhenDue(queues.get(i), entries.get(i));
        }
    }
}
