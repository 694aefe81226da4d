package dev.courier.jms;

import dev.courier.message.MessageRecord;

/** A message the broker pushed to a consumer and the application has not taken yet. */
record PendingDelivery(long deliveryId, MessageRecord record, int deliveryCount, long sequence) {
}
