package dev.courier.broker;

import dev.courier.message.Address;
import dev.courier.message.MessageRecord;
import dev.courier.selector.Selector;

/**
 * A topic subscription: the topic's copy of each matching message for its consumers. A plain
 * topic consumer owns a private one; durable and shared ones are registered by name in the
 * {@link SubscriptionRegistry} and outlive (durable) or are split between (shared) consumers.
 *
 * <p>Immutable apart from {@link #noLocalConnectionId}, which the registry sets while holding its
 * lock and the publishing threads read.
 */
final class Subscription {

    /** The topic (permanent or temporary) this subscription is attached to. */
    final Address topic;
    final Selector selector;
    final boolean noLocal;
    /** The registry key, or null for a private consumer's subscription. */
    final SubscriptionKey key;
    final boolean shared;
    final MessageQueue queue;
    /** Consumers attached; guarded by the registry's lock. */
    int activeConsumers;
    /** Messages from this connection are skipped when {@link #noLocal}; -1 when none applies. */
    volatile long noLocalConnectionId = -1;

    Subscription(Address topic, Selector selector, boolean noLocal, SubscriptionKey key, boolean shared,
                 MessageQueue queue) {
        this.topic = topic;
        this.selector = selector;
        this.noLocal = noLocal;
        this.key = key;
        this.shared = shared;
        this.queue = queue;
    }

    /** Whether a message published on the topic belongs in this subscription. */
    boolean accepts(MessageRecord record, long originConnectionId) {
        return acceptsOrigin(originConnectionId) && (selector.isMatchAll() || selector.matches(record));
    }

    /** The {@code noLocal} rule alone, for subscriptions whose selector an index already matched. */
    boolean acceptsOrigin(long originConnectionId) {
        return !noLocal || originConnectionId != noLocalConnectionId;
    }

    boolean sameDefinition(Address otherTopic, String selectorText, boolean noLocalFlag) {
        return topic.equals(otherTopic) && noLocal == noLocalFlag
                && java.util.Objects.equals(normalize(selector.expression()), normalize(selectorText));
    }

    private static String normalize(String selectorText) {
        return selectorText == null || selectorText.isBlank() ? null : selectorText;
    }
}
