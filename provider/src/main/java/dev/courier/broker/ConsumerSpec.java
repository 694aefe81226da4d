package dev.courier.broker;

import dev.courier.message.Address;

/**
 * What a client asks for when it opens a consumer.
 *
 * @param destination      the queue or topic to consume from
 * @param selector         selector text, or null for all messages
 * @param noLocal          on a topic: skip messages published by the consumer's own connection
 * @param subscriptionName for durable or shared topic subscriptions; null for a plain consumer
 * @param durable          the subscription outlives the consumer
 * @param shared           several consumers may split the subscription's messages
 * @param credit           initial number of messages the broker may push before more credit
 */
public record ConsumerSpec(Address destination, String selector, boolean noLocal,
                           String subscriptionName, boolean durable, boolean shared, int credit) {

    public static ConsumerSpec of(Address destination, String selector, boolean noLocal, int credit) {
        return new ConsumerSpec(destination, selector, noLocal, null, false, false, credit);
    }
}
