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
    /** The id under which the store holds it, or 0 when it is not stored (non-persistent). */
    final long storeId;
    /** Arrival order within the queue; restores order when a message is released. */
    long sequence;
    /** Deliveries to an application so far; the next delivery's {@code JMSXDeliveryCount} is this plus one. */
    int deliveryCount;

    QueueEntry(MessageRecord record, long originConnectionId) {
        this(record, originConnectionId, 0);
    }

    QueueEntry(MessageRecord record, long originConnectionId, long storeId) {
        this.record = record;
        this.originConnectionId = originConnectionId;
        this.storeId = storeId;
    }

    boolean isStored() {
        return storeId != 0;
    }
}
