package dev.courier.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A store that keeps nothing durable, for brokers with {@code persistent=false}.
 *
 * <p>It still applies commits, with the same rules as {@link H2MessageStore} (a reference needs a
 * stored message, ids are unique, a message goes with its last reference, batches are atomic),
 * to maps in this instance, so {@link #recover} on the same instance replays them: tests can
 * exercise recovery without a disk, and a bug that only a durable store would reveal shows here
 * too. Nothing survives the instance.
 *
 * <p>Thread-safe: every method holds the instance's monitor; commits are therefore serialized
 * and there is no group commit (nothing to fsync).
 */
public final class InMemoryMessageStore implements MessageStore {

    private final Map<Long, StoredMessage> messages = new HashMap<>();
    private final Map<String, QueueReferences> references = new TreeMap<>();
    private final Map<Long, Integer> referenceCounts = new HashMap<>();
    private final Map<String, SubscriptionDefinition> subscriptions = new TreeMap<>();
    private long lastMessageId;
    private long nextSequence;
    private boolean closed;

    @Override
    public synchronized void recover(RecoveryVisitor visitor) throws StoreException {
        checkOpen();
        for (SubscriptionDefinition s : subscriptions.values()) {
            visitor.subscription(s);
        }
        for (Map.Entry<String, QueueReferences> queue : references.entrySet()) {
            for (Reference ref : queue.getValue().inOrder.values()) {
                if (visitor.wantsMessage(queue.getKey(), ref.messageId)) {
                    visitor.reference(queue.getKey(), messages.get(ref.messageId), ref.deliveryCount);
                } else {
                    visitor.pagedReference(queue.getKey(), ref.messageId);
                }
            }
        }
        visitor.lastMessageId(lastMessageId);
    }

    /** Applies the batch at once (memory only, so the caller does not wait for I/O). */
    @Override
    public void commitThen(StoreBatch batch, Consumer<StoreException> whenDone) {
        StoreException failure = null;
        try {
            commit(batch);
        } catch (StoreException e) {
            failure = e;
        }
        whenDone.accept(failure);
    }

    @Override
    public synchronized void commit(StoreBatch batch) throws StoreException {
        checkOpen();
        Deque<Runnable> undo = new ArrayDeque<>();
        try {
            for (StoreBatch.Operation op : batch.operations()) {
                apply(op, undo);
            }
        } catch (StoreException e) {
            while (!undo.isEmpty()) {
                undo.pop().run();
            }
            throw e;
        }
    }

    @Override
    public synchronized QueuePage readQueue(String queueName, long afterMessageId, int maxMessages, long maxBytes)
            throws StoreException {
        checkOpen();
        QueueReferences queue = references.get(queueName);
        List<StoredReference> page = new ArrayList<>();
        long last = afterMessageId;
        if (queue != null) {
            long bytes = 0;
            for (Reference ref : queue.byId.tailMap(afterMessageId, false).values()) {
                if (page.size() >= Math.max(1, maxMessages) || bytes >= maxBytes) {
                    break;
                }
                StoredMessage message = messages.get(ref.messageId);
                page.add(new StoredReference(message, ref.deliveryCount));
                bytes += message.record().estimatedSize();
                last = ref.messageId;
            }
        }
        return new QueuePage(page, last, 0);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void checkOpen() throws StoreException {
        if (closed) {
            throw new StoreException("in-memory store is closed");
        }
    }

    private void apply(StoreBatch.Operation op, Deque<Runnable> undo) throws StoreException {
        if (op instanceof StoreBatch.AddMessage) {
            StoredMessage m = ((StoreBatch.AddMessage) op).message();
            if (messages.putIfAbsent(m.id(), m) != null) {
                throw new StoreException("message " + m.id() + " is already stored");
            }
            long previousLast = lastMessageId;
            lastMessageId = Math.max(lastMessageId, m.id());
            undo.push(() -> {
                messages.remove(m.id());
                lastMessageId = previousLast;
            });
        } else if (op instanceof StoreBatch.AddReference) {
            StoreBatch.AddReference a = (StoreBatch.AddReference) op;
            addReference(a.queueName(), a.messageId(), 0, undo);
        } else if (op instanceof StoreBatch.RemoveReference) {
            StoreBatch.RemoveReference r = (StoreBatch.RemoveReference) op;
            removeReference(r.queueName(), r.messageId(), undo);
        } else if (op instanceof StoreBatch.UpdateDeliveryCount) {
            StoreBatch.UpdateDeliveryCount u = (StoreBatch.UpdateDeliveryCount) op;
            QueueReferences queue = references.get(u.queueName());
            Reference ref = queue == null ? null : queue.byId.get(u.messageId());
            if (ref != null) {
                int old = ref.deliveryCount;
                ref.deliveryCount = u.deliveryCount();
                undo.push(() -> ref.deliveryCount = old);
            }
        } else if (op instanceof StoreBatch.AddSubscription) {
            SubscriptionDefinition s = ((StoreBatch.AddSubscription) op).subscription();
            String key = SubscriptionKey.of(s);
            SubscriptionDefinition old = subscriptions.put(key, s);
            undo.push(() -> restore(key, old));
        } else if (op instanceof StoreBatch.RemoveSubscription) {
            StoreBatch.RemoveSubscription r = (StoreBatch.RemoveSubscription) op;
            String key = SubscriptionKey.of(r.clientId(), r.name());
            SubscriptionDefinition old = subscriptions.remove(key);
            if (old != null) {
                undo.push(() -> restore(key, old));
                removeQueue(old.queueName(), undo);
            }
        } else {
            throw new StoreException("unknown operation " + op);
        }
    }

    private void restore(String key, SubscriptionDefinition old) {
        if (old == null) {
            subscriptions.remove(key);
        } else {
            subscriptions.put(key, old);
        }
    }

    private void addReference(String queueName, long messageId, int deliveryCount, Deque<Runnable> undo)
            throws StoreException {
        if (!messages.containsKey(messageId)) {
            throw new StoreException("queue " + queueName + " cannot reference message " + messageId
                    + ": it is not stored");
        }
        QueueReferences queue = references.computeIfAbsent(queueName, q -> new QueueReferences());
        if (queue.byId.containsKey(messageId)) {
            throw new StoreException("queue " + queueName + " already holds message " + messageId);
        }
        Reference ref = new Reference(nextSequence++, messageId, deliveryCount);
        queue.add(ref);
        referenceCounts.merge(messageId, 1, Integer::sum);
        undo.push(() -> {
            queue.remove(ref);
            referenceCounts.merge(messageId, -1, InMemoryMessageStore::decrement);
        });
    }

    private static Integer decrement(Integer old, Integer delta) {
        int n = old + delta;
        return n == 0 ? null : n;
    }

    private void removeReference(String queueName, long messageId, Deque<Runnable> undo) {
        QueueReferences queue = references.get(queueName);
        Reference ref = queue == null ? null : queue.byId.get(messageId);
        if (ref == null) {
            return;
        }
        queue.remove(ref);
        StoredMessage message = messages.get(messageId);
        boolean last = referenceCounts.merge(messageId, -1, InMemoryMessageStore::decrement) == null;
        if (last) {
            messages.remove(messageId);
        }
        undo.push(() -> {
            queue.add(ref);
            referenceCounts.merge(messageId, 1, Integer::sum);
            if (last) {
                messages.put(messageId, message);
            }
        });
    }

    private void removeQueue(String queueName, Deque<Runnable> undo) {
        QueueReferences queue = references.get(queueName);
        if (queue != null) {
            for (Reference ref : new ArrayList<>(queue.inOrder.values())) {
                removeReference(queueName, ref.messageId, undo);
            }
        }
    }

    /** One queue's references, by insertion sequence (for recovery order) and by message id. */
    private static final class QueueReferences {
        final TreeMap<Long, Reference> inOrder = new TreeMap<>();
        final TreeMap<Long, Reference> byId = new TreeMap<>();

        void add(Reference ref) {
            inOrder.put(ref.sequence, ref);
            byId.put(ref.messageId, ref);
        }

        void remove(Reference ref) {
            inOrder.remove(ref.sequence);
            byId.remove(ref.messageId);
        }
    }

    private static final class Reference {
        final long sequence;
        final long messageId;
        int deliveryCount;

        Reference(long sequence, long messageId, int deliveryCount) {
            this.sequence = sequence;
            this.messageId = messageId;
            this.deliveryCount = deliveryCount;
        }
    }
}
