package dev.courier.client;

import dev.courier.message.MessageRecord;

/**
 * Receives one consumer's deliveries from a {@link BrokerLink}. Called on a transport or broker
 * thread: an implementation must only enqueue and signal, never block.
 */
@FunctionalInterface
public interface DeliveryListener {

    /** See {@code DeliverySink#deliver} for the meaning of each argument. */
    void onDelivery(long deliveryId, MessageRecord record, int deliveryCount, long sequence);
}
