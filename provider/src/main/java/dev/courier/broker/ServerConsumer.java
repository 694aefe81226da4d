package dev.courier.broker;

import dev.courier.selector.Selector;

/**
 * The broker's side of one client consumer: which queue it reads, what it accepts and how many
 * more messages it may be pushed (its credit). Credit is guarded by the queue's lock.
 */
final class ServerConsumer {

    final long id;
    final BrokerConnection connection;
    final MessageQueue queue;
    final Selector selector;
    final DeliverySink sink;
    /** The subscription this consumer reads, or null for a queue consumer. */
    final Subscription subscription;
    int credit;

    ServerConsumer(long id, BrokerConnection connection, MessageQueue queue, Selector selector,
                   DeliverySink sink, Subscription subscription, int credit) {
        this.id = id;
        this.connection = connection;
        this.queue = queue;
        this.selector = selector;
        this.sink = sink;
        this.subscription = subscription;
        this.credit = credit;
    }

    boolean accepts(QueueEntry entry) {
        return selector.isMatchAll() || selector.matches(entry.record);
    }
}
