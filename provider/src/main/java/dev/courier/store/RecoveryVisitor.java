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

    /**
     * Asked before each reference is decoded: false when the visitor will leave this message in
     * the store (a broker over its memory bound pages it), in which case the store skips decoding
     * it and calls {@link #pagedReference} instead of {@link #reference}.
     */
    default boolean wantsMessage(String queueName, long messageId) {
        return true;
    }

    /** A reference the visitor declined to load ({@link #wantsMessage} returned false). */
    default void pagedReference(String queueName, long messageId) {
    }

    /** The highest message id ever stored, so new ids continue past it. */
    void lastMessageId(long id);

    /** A row that could not be read; recovery skips it and goes on. */
    void corrupt(String what, Exception cause);
}
