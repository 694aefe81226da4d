package dev.courier.broker;

import dev.courier.message.MessageRecord;

/**
 * Where the broker hands a consumer's deliveries. Called with the destination's lock held, so an
 * implementation must only enqueue and signal: never block, never call back into the broker.
 */
@FunctionalInterface
public interface DeliverySink {

    /**
     * @param deliveryId    connection-scoped id the client uses to acknowledge or release it
     * @param record        the message, shared and immutable
     * @param deliveryCount this delivery's attempt number, 1 for the first
     * @param sequence      the message's place in its queue: a consumer that orders its buffer by
     *                      priority, then sequence, sees redelivered messages back in their place
     */
    void deliver(long deliveryId, MessageRecord record, int deliveryCount, long sequence);
}
