package dev.courier.broker;

import dev.courier.store.MessageStore;

/**
 * What a {@link MessageQueue} needs from its broker: the dead-letter queue's name, the memory
 * bound, the store its paged tail lives in, and threads to page in and to wait for delivery
 * times on. Implemented by the {@link Broker}.
 */
interface QueueHost {

    boolean isDeadLetterQueue(String queueName);

    /** Bytes of messages one queue keeps in memory before it pages or blocks producers. */
    long maxQueueMemory();

    /** The store paged messages are read back from, or null for a broker without one. */
    MessageStore pagingStore();

    /** Runs {@link MessageQueue#pageIn} on the broker's pager thread, soon. */
    void pageInLater(MessageQueue queue);

    /** Puts a paged-in message whose delivery time is still to come on its queue when it comes. */
    void enqueueWhenDue(MessageQueue queue, QueueEntry entry);
}
