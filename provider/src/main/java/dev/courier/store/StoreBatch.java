package dev.courier.store;

import dev.courier.message.MessageCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    /**
     * Codec bytes of the added messages, in operation order, once {@link #encodeMessages} ran on
     * the committing thread; the store's writer thread reads them after taking the batch from the
     * queue (whose lock orders the two), so it copies bytes instead of encoding.
     */
    private byte[][] encodings;

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

    /**
     * Encodes the added messages ({@link MessageCodec#encode}, which returns the bytes a record
     * kept from the wire). CPU only, so safe on any caller's thread, interrupted or not.
     *
     * @throws StoreException when a message cannot be encoded: this batch alone is rejected
     */
    void encodeMessages() throws StoreException {
        int count = 0;
        for (Operation op : operations) {
            if (op instanceof AddMessage) {
                count++;
            }
        }
        if (count == 0) {
            return;
        }
        byte[][] bytes = new byte[count][];
        int i = 0;
        for (Operation op : operations) {
            if (op instanceof AddMessage a) {
                try {
                    bytes[i++] = MessageCodec.encode(a.message().record());
                } catch (IllegalArgumentException e) {
                    throw new StoreException("message " + a.message().id() + " cannot be encoded: " + e.getMessage(), e);
                }
            }
        }
        encodings = bytes;
    }

    /** Puts the bytes {@link #encodeMessages} made into a message-to-bytes cache; nothing if it did not run. */
    void shareEncodings(Map<StoredMessage, byte[]> cache) {
        if (encodings == null) {
            return;
        }
        int i = 0;
        for (Operation op : operations) {
            if (op instanceof AddMessage a) {
                cache.put(a.message(), encodings[i++]);
            }
        }
    }

    public List<Operation> operations() {
        return operations;
    }

    public boolean isEmpty() {
        return operations.isEmpty();
    }
}
