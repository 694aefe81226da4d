package dev.courier.broker;

import dev.courier.message.MessageRecord;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A topic: each published message is copied into every subscription that accepts it.
 * Subscriptions change rarely and are read on every publish, hence the copy-on-write list.
 */
final class TopicDestination {

    private final String name;
    private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    TopicDestination(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void publish(MessageRecord record, long originConnectionId) {
        for (Subscription subscription : subscriptions) {
            if (subscription.accepts(record, originConnectionId)) {
                subscription.queue.enqueue(new QueueEntry(record, originConnectionId));
            }
        }
    }

    void add(Subscription subscription) {
        subscriptions.add(subscription);
    }

    void remove(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    int subscriptionCount() {
        return subscriptions.size();
    }
}
