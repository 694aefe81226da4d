package dev.courier.store;

/** Receives a store's content on start, in the order {@link MessageStore#recover} promises. */
public interface RecoveryVisitor {

    void subscription(SubscriptionDefinition subscription);

    /**
     * A message held by a queue (or a durable subscription's queue).
     *
     * @param deliveryCount delivery attempts recorded so far
     */
    void reference(String queueName, StoredMessage message, int deliveryCount);

    /** The highest message id ever stored, so new ids continue past it. */
    void lastMessageId(long id);

    /** A row that could not be read; recovery skips it and goes on. */
    void corrupt(String what, Exception cause);
}
