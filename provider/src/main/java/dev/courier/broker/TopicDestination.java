package dev.courier.broker;

import dev.courier.message.MessageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A topic: each published message is copied into every subscription that accepts it.
 * Subscriptions change rarely and are read on every publish, so they are kept in an immutable
 * {@link SelectorIndex} replaced on each change; publishing reads it without locking.
 */
final class TopicDestination {

    private final String name;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private volatile SelectorIndex<Subscription> routing = SelectorIndex.empty();
    /** Every subscription, for the flow-control check; replaced with {@link #routing}. */
    private volatile List<Subscription> all = List.of();
    /** How many subscriptions are full right now (kept by their queues). */
    private final AtomicInteger fullSubscriptions = new AtomicInteger();

    TopicDestination(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** Puts a message that needs no store on every subscription that accepts it. */
    void publishTransient(MessageRecord record, long originConnectionId, Broker broker) {
        SelectorIndex<Subscription> table = routing;
        for (Subscription subscription : table.unindexed()) {
            if (subscription.accepts(record, originConnectionId)) {
                broker.enqueueWhenDue(subscription.queue, new QueueEntry(record, originConnectionId));
            }
        }
        for (int i = 0, n = table.indexedProperties(); i < n; i++) {
            for (Subscription subscription : table.matches(i, record)) {
                if (subscription.acceptsOrigin(originConnectionId)) {
                    broker.enqueueWhenDue(subscription.queue, new QueueEntry(record, originConnectionId));
                }
            }
        }
    }

    /**
     * A full subscription queue that would get this message, which it cannot page, or null. A
     * publish waits while any subscription it goes to is full (Artemis' BLOCK policy applies
     * to the whole address the same way). Cheap when nothing is full: one counter read.
     */
    MessageQueue fullSubscriptionFor(MessageRecord record, long originConnectionId) {
        if (fullSubscriptions.get() == 0) {
            return null;
        }
        for (Subscription subscription : all) {
            if (subscription.queue.isFull() && subscription.accepts(record, originConnectionId)) {
                return subscription.queue;
            }
        }
        return null;
    }

    /** Adds to {@code out} every subscription that accepts the message. */
    void matching(MessageRecord record, long originConnectionId, List<Subscription> out) {
        SelectorIndex<Subscription> table = routing;
        for (Subscription subscription : table.unindexed()) {
            if (subscription.accepts(record, originConnectionId)) {
                out.add(subscription);
            }
        }
        for (int i = 0, n = table.indexedProperties(); i < n; i++) {
            for (Subscription subscription : table.matches(i, record)) {
                if (subscription.acceptsOrigin(originConnectionId)) {
                    out.add(subscription);
                }
            }
        }
    }

    synchronized void add(Subscription subscription) {
        subscriptions.add(subscription);
        routing = SelectorIndex.of(subscriptions, s -> s.selector);
        all = List.copyOf(subscriptions);
        subscription.queue.countFullIn(fullSubscriptions);
    }

    synchronized void remove(Subscription subscription) {
        if (subscriptions.remove(subscription)) {
            routing = SelectorIndex.of(subscriptions, s -> s.selector);
            all = List.copyOf(subscriptions);
            subscription.queue.countFullIn(null);
        }
    }

    synchronized int subscriptionCount() {
        return subscriptions.size();
    }
}
