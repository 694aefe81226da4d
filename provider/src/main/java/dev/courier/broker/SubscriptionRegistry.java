package dev.courier.broker;

import dev.courier.message.Address;
import dev.courier.selector.Selector;
import dev.courier.store.StoreBatch;
import dev.courier.store.SubscriptionDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The named subscriptions of one broker (durable, shared durable and shared non-durable) and the
 * JMS rules for attaching consumers to them, replacing them and removing them.
 *
 * <p>Threading: all state is guarded by {@code this}; these operations are rare (consumer
 * creation and close), never on the send or dispatch path.
 */
final class SubscriptionRegistry {

    private final Map<SubscriptionKey, Subscription> subscriptions = new HashMap<>();
    private final Broker broker;

    SubscriptionRegistry(Broker broker) {
        this.broker = broker;
    }

    /**
     * Finds or creates the subscription a durable or shared consumer asks for and attaches the
     * consumer to it (counts it as active).
     */
    synchronized Subscription attach(BrokerConnection connection, ConsumerSpec spec, Selector selector)
            throws BrokerException {
        String clientId = connection.clientId();
        Address topic = spec.destination();
        if (spec.durable() && topic.isTemporary()) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION,
                    "a durable subscription cannot be made on temporary topic " + topic);
        }
        if (spec.durable() && !spec.shared() && clientId == null) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE,
                    "an unshared durable subscription needs a client ID on its connection");
        }
        SubscriptionKey key = new SubscriptionKey(clientId, spec.subscriptionName(), spec.durable());
        Subscription existing = subscriptions.get(key);
        if (existing != null) {
            if (existing.shared != spec.shared()) {
                throw new BrokerException(ErrorCode.GENERAL, (existing.shared ? "a shared" : "an unshared")
                        + " durable subscription named '" + spec.subscriptionName() + "' already exists");
            }
            if (!existing.shared && existing.activeConsumers > 0) {
                throw new BrokerException(ErrorCode.ILLEGAL_STATE, "durable subscription '"
                        + spec.subscriptionName() + "' already has an active consumer");
            }
        }
        StoreBatch batch = new StoreBatch();
        if (existing != null && !existing.sameDefinition(topic, spec.selector(), spec.noLocal())) {
            if (existing.activeConsumers > 0) {
                throw new BrokerException(ErrorCode.GENERAL, "subscription '" + spec.subscriptionName()
                        + "' is in use with another topic or selector");
            }
            if (key.durable()) {
                batch.removeSubscription(key.clientId(), key.name());
            }
            broker.store().commit(batch);
            batch = new StoreBatch();
            remove(existing);
            existing = null;
        }
        Subscription subscription = existing;
        if (subscription == null) {
            String storeName = key.durable() ? BrokerStore.subscriptionStoreName(key.clientId(), key.name()) : null;
            if (storeName != null) {
                batch.addSubscription(new SubscriptionDefinition(key.clientId(), key.name(), topic.name(),
                        selector.expression(), spec.noLocal(), spec.shared(), storeName));
                broker.store().commit(batch);
            }
            subscription = create(key, topic, selector, spec.noLocal(), spec.shared(), storeName);
        }
        subscription.activeConsumers++;
        if (subscription.noLocal) {
            subscription.noLocalConnectionId = connection.id();
        }
        return subscription;
    }

    /** Restores a durable subscription from the store, with no consumer. */
    synchronized Subscription restore(SubscriptionDefinition definition, Selector selector) {
        SubscriptionKey key = new SubscriptionKey(definition.clientId(), definition.name(), true);
        return create(key, Address.topic(definition.topic()), selector, definition.noLocal(), definition.shared(),
                definition.queueName());
    }

    private Subscription create(SubscriptionKey key, Address topic, Selector selector, boolean noLocal,
                                boolean shared, String storeName) {
        MessageQueue queue = new MessageQueue("subscription:" + key.clientId() + ":" + key.name(), storeName, broker);
        Subscription subscription = new Subscription(topic, selector, noLocal, key, shared, queue);
        subscriptions.put(key, subscription);
        broker.topic(topic).add(subscription);
        return subscription;
    }

    /** A consumer of the subscription closed; a shared non-durable one ends with its last consumer. */
    synchronized void detach(Subscription subscription) {
        subscription.activeConsumers--;
        if (subscription.activeConsumers == 0) {
            subscription.noLocalConnectionId = -1;
            if (!subscription.key.durable()) {
                remove(subscription);
            }
        }
    }

    /** Deletes a durable subscription and its messages. */
    synchronized void unsubscribe(String clientId, String name) throws BrokerException {
        Subscription subscription = subscriptions.get(new SubscriptionKey(clientId, name, true));
        if (subscription == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no durable subscription named '" + name + "'"
                    + (clientId == null ? "" : " for client ID '" + clientId + "'"));
        }
        if (subscription.activeConsumers > 0) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE,
                    "durable subscription '" + name + "' has an active consumer");
        }
        if (subscription.queue.stats().inFlight() > 0) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE,
                    "durable subscription '" + name + "' has messages not yet acknowledged");
        }
        broker.store().commit(new StoreBatch().removeSubscription(clientId, name));
        remove(subscription);
    }

    synchronized List<Subscription> durableSubscriptions() {
        return subscriptions.values().stream().filter(s -> s.key.durable()).toList();
    }

    private void remove(Subscription subscription) {
        subscriptions.remove(subscription.key);
        broker.detach(subscription);
        subscription.queue.purge();
    }
}
