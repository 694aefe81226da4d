package dev.courier.broker;

import dev.courier.message.MessageRecord;

/**
 * One message held by one {@link MessageQueue}. A topic gives each subscription its own entry
 * around the same shared record. Mutable fields are guarded by the owning queue's lock.
 */
final class QueueEntry {

    final MessageRecord record;
    /** The connection that sent it, for {@code noLocal}. */
    final long originConnectionId;
    /** Arrival order within the queue; restores order when a message is released. */
    long sequence;
    /** Deliveries to an application so far; the next delivery's {@code JMSXDeliveryCount} is this plus one. */
    int deliveryCount;

    QueueEntry(MessageRecord record, long originConnectionId) {
        this.record = record;
        this.originConnectionId = originConnectionId;
    }
}
