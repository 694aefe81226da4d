package dev.courier.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects what a recovery replays, for assertions. */
final class RecordingVisitor implements RecoveryVisitor {

    final List<SubscriptionDefinition> subscriptions = new ArrayList<>();
    /** Queue name to "id:deliveryCount" in replay order. */
    final Map<String, List<String>> references = new LinkedHashMap<>();
    final Map<Long, StoredMessage> messages = new LinkedHashMap<>();
    final List<String> corrupt = new ArrayList<>();
    final List<String> order = new ArrayList<>();
    long lastMessageId = -1;

    static RecordingVisitor recover(MessageStore store) throws StoreException {
        RecordingVisitor v = new RecordingVisitor();
        store.recover(v);
        return v;
    }

    @Override
    public void subscription(SubscriptionDefinition subscription) {
        order.add("subscription");
        subscriptions.add(subscription);
    }

    @Override
    public void reference(String queueName, StoredMessage message, int deliveryCount) {
        order.add("reference");
        references.computeIfAbsent(queueName, q -> new ArrayList<>()).add(message.id() + ":" + deliveryCount);
        messages.put(message.id(), message);
    }

    @Override
    public void lastMessageId(long id) {
        order.add("last");
        lastMessageId = id;
    }

    @Override
    public void corrupt(String what, Exception cause) {
        corrupt.add(what);
    }

    List<String> queue(String name) {
        return references.getOrDefault(name, List.of());
    }
}
