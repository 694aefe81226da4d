package dev.courier.store;

/**
 * A durable subscription as stored, so it and its selector come back after a restart.
 *
 * @param clientId null for a shared subscription made without a client ID
 * @param selector selector text, or null
 * @param queueName the name of the store queue holding its messages (see {@link StoreBatch#addReference})
 */
public record SubscriptionDefinition(String clientId, String name, String topic, String selector,
                                     boolean noLocal, boolean shared, String queueName) {
}
