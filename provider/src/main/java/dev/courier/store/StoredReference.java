package dev.courier.store;

/** A stored message as one queue holds it: the message and the delivery attempts recorded for it there. */
public record StoredReference(StoredMessage message, int deliveryCount) {
}
