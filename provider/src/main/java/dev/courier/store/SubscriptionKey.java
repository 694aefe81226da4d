package dev.courier.store;

/**
 * The identity of a durable subscription, client ID (null when shared without one) and name, as
 * one string: stores need a single non-null key and two subscriptions must never collide.
 */
final class SubscriptionKey {

    private SubscriptionKey() {
    }

    static String of(String clientId, String name) {
        return clientId == null ? "-/" + name : "+" + clientId.length() + ":" + clientId + "/" + name;
    }

    static String of(SubscriptionDefinition s) {
        return of(s.clientId(), s.name());
    }
}
