package dev.courier.jms;

import dev.courier.message.MessageRecord;

/**
 * A message the broker pushed to a consumer and the application has not taken yet.
 *
 * <p>Immutable but for {@link #next}, the link a {@link DeliveryInbox} threads it on while the
 * delivery waits there, so handing a message over allocates nothing beyond this object.
 */
final class PendingDelivery {

    private final long deliveryId;
    private final MessageRecord record;
    private final int deliveryCount;
    private final long sequence;
    /** The inbox's link; written before the delivery is published, read by the inbox's drain. */
    PendingDelivery next;

    PendingDelivery(long deliveryId, MessageRecord record, int deliveryCount, long sequence) {
        this.deliveryId = deliveryId;
        this.record = record;
        this.deliveryCount = deliveryCount;
        this.sequence = sequence;
    }

    long deliveryId() {
        return deliveryId;
    }

    MessageRecord record() {
        return record;
    }

    int deliveryCount() {
        return deliveryCount;
    }

    /** The message's place in its queue: redelivered messages keep theirs. */
    long sequence() {
        return sequence;
    }
}
