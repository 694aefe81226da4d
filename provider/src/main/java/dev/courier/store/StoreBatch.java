package dev.courier.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Changes to apply atomically in one {@link MessageStore#commit}. Build one per send, ack or
 * transaction; not thread-safe, not reused after commit.
 */
public final class StoreBatch {

    /** One change; implementations switch on the subtype. */
    public sealed interface Operation permits AddMessage, AddReference, RemoveReference, UpdateDeliveryCount,
            AddSubscription, RemoveSubscription {
    }

    /** Stores a message (before any reference to it, in the same or an earlier batch). */
    public record AddMessage(StoredMessage message) implements Operation {
    }

    /** A queue now holds the message. */
    public record AddReference(String queueName, long messageId) implements Operation {
    }

    /** A queue no longer holds the message; the message goes with its last reference. */
    public record RemoveReference(String queueName, long messageId) implements Operation {
    }

    /** Records a delivery attempt, so the count survives a restart. */
    public record UpdateDeliveryCount(String queueName, long messageId, int deliveryCount) implements Operation {
    }

    public record AddSubscription(SubscriptionDefinition subscription) implements Operation {
    }

    /** Deletes the subscription and every reference of its queue. */
    public record RemoveSubscription(String clientId, String name) implements Operation {
    }

    private final List<Operation> operations = new ArrayList<>(4);

    public StoreBatch addMessage(StoredMessage message) {
        operations.add(new AddMessage(message));
        return this;
    }

    public StoreBatch addReference(String queueName, long messageId) {
        operations.add(new AddReference(queueName, messageId));
        return this;
    }

    public StoreBatch removeReference(String queueName, long messageId) {
        operations.add(new RemoveReference(queueName, messageId));
        return this;
    }

    public StoreBatch updateDeliveryCount(String queueName, long messageId, int deliveryCount) {
        operations.add(new UpdateDeliveryCount(queueName, messageId, deliveryCount));
        return this;
    }

    public StoreBatch addSubscription(SubscriptionDefinition subscription) {
        operations.add(new AddSubscription(subscription));
        return this;
    }

    public StoreBatch removeSubscription(String clientId, String name) {
        operations.add(new RemoveSubscription(clientId, name));
        return this;
    }

    /** Appends an operation as it is (the store's own rewriting of batches). */
    StoreBatch add(Operation op) {
        operations.add(op);
        return this;
    }

    public List<Operation> operations() {
        return operations;
    }

    public boolean isEmpty() {
        return operations.isEmpty();
    }
}
