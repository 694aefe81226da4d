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

    /**
     * The link lost its broker connection, which took back every delivery it had pushed: drop
     * the buffered ones the application has not taken yet (they come again, marked redelivered)
     * and return how many were dropped. Called by a reconnecting link only; must not block.
     */
    default int discardDeliveries() {
        return 0;
    }
}
