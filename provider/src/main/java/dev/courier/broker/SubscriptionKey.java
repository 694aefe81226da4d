package dev.courier.broker;

/**
 * Names a durable or shared subscription: client ID (null when a shared subscription is made
 * without one) plus subscription name. Durable and shared non-durable subscriptions live in
 * separate namespaces, as JMS 2.0 specifies.
 */
record SubscriptionKey(String clientId, String name, boolean durable) {
}
