package dev.courier.broker;

import dev.courier.message.MessageRecord;
import dev.courier.selector.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The messages of one queue or one topic subscription, and the consumers that compete for them.
 *
 * <p>Order: highest priority first, arrival order within a priority. A released message goes back
 * to its original place, so a rollback redelivers in the original order.
 *
 * <p>Dispatch runs on whichever thread changed something (a sender, a consumer granting credit, a
 * release), under this queue's monitor. It pushes to {@link DeliverySink}s, which only enqueue, so
 * the monitor is never held across I/O or application code. A message no consumer accepts stays
 * in place (still browsable) and dispatch moves on to the messages behind it.
 *
 * <p>Threading: every mutable field is guarded by {@code this}.
 */
final class MessageQueue {

    private static final int LEVELS = 10;

    private final String name;
    /** The name the store knows this queue by, or null when it keeps nothing durable. */
    private final String storeName;
    private final DeadLetterRouter deadLetters;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<QueueEntry>[] levels = new ArrayDeque[LEVELS];
    private final List<ServerConsumer> consumers = new ArrayList<>(2);
    private SelectorIndex<ServerConsumer> consumerIndex = SelectorIndex.empty();
    private int size;
    private int consumersWithCredit;
    private int nextConsumer;
    private long nextSequence;
    private int inFlight;
    private long enqueuedCount;
    private long dequeuedCount;
    private long expiredCount;

    MessageQueue(String name, String storeName, DeadLetterRouter deadLetters) {
        this.name = name;
        this.storeName = storeName;
        this.deadLetters = deadLetters;
    }

    String name() {
        return name;
    }

    /** The store's name for this queue; null for queues that keep nothing durable (temporary ones). */
    String storeName() {
        return storeName;
    }

    synchronized void enqueue(QueueEntry entry) {
        entry.sequence = nextSequence++;
        level(entry.record.priority()).addLast(entry);
        size++;
        enqueuedCount++;
        dispatch();
    }

    synchronized void addConsumer(ServerConsumer consumer) {
        consumers.add(consumer);
        consumerIndex = SelectorIndex.of(consumers, c -> c.selector);
        if (consumer.credit > 0) {
            consumersWithCredit++;
        }
        dispatch();
    }

    synchronized void removeConsumer(ServerConsumer consumer) {
        if (consumers.remove(consumer)) {
            consumerIndex = SelectorIndex.of(consumers, c -> c.selector);
            if (consumer.credit > 0) {
                consumersWithCredit--;
            }
        }
        consumer.credit = 0;
        nextConsumer = 0;
    }

    synchronized int consumerCount() {
        return consumers.size();
    }

    synchronized void addCredit(ServerConsumer consumer, int credit) {
        if (credit <= 0 || !consumers.contains(consumer)) {
            return;
        }
        if (consumer.credit == 0) {
            consumersWithCredit++;
        }
        consumer.credit += credit;
        dispatch();
    }

    synchronized void revokeCredit(ServerConsumer consumer) {
        if (consumer.credit > 0 && consumers.contains(consumer)) {
            consumersWithCredit--;
        }
        consumer.credit = 0;
    }

    /** A delivered message was acknowledged: it leaves the queue for good. */
    synchronized void acknowledged(QueueEntry entry) {
        inFlight--;
        dequeuedCount++;
    }

    /**
     * Delivered messages come back (recover, rollback, close, lost connection).
     *
     * @param delivered whether the application may have seen them; if so they count as a
     *                  delivery attempt and, past the limit, go to the dead-letter queue
     * @return the entries that exceeded the delivery limit; the caller routes them to the
     *         dead-letter queue outside this queue's lock
     */
    synchronized List<QueueEntry> release(List<QueueEntry> entries, boolean delivered, int maxDeliveryAttempts) {
        List<QueueEntry> dead = null;
        // Reinsert newest first so that, in the usual case, each one goes to the head of its level.
        for (int i = entries.size() - 1; i >= 0; i--) {
            QueueEntry entry = entries.get(i);
            inFlight--;
            if (delivered) {
                entry.deliveryCount++;
                if (entry.deliveryCount >= maxDeliveryAttempts && !deadLetters.isDeadLetterQueue(name)) {
                    dequeuedCount++;
                    if (dead == null) {
                        dead = new ArrayList<>();
                    }
                    dead.add(entry);
                    continue;
                }
            }
            insertInOrder(entry);
        }
        dispatch();
        return dead == null ? List.of() : dead;
    }

    /** The messages waiting for dispatch, in dispatch order, that match {@code selector}. */
    synchronized List<MessageRecord> browse(Selector selector) {
        List<MessageRecord> result = new ArrayList<>(Math.min(size, 1024));
        long now = System.currentTimeMillis();
        for (int p = LEVELS - 1; p >= 0; p--) {
            ArrayDeque<QueueEntry> level = levels[p];
            if (level == null) {
                continue;
            }
            for (QueueEntry e : level) {
                if (!e.record.isExpired(now) && (selector.isMatchAll() || selector.matches(e.record))) {
                    result.add(e.record);
                }
            }
        }
        return result;
    }

    /** Drops every waiting message (used when a subscription is replaced or removed). */
    synchronized void purge() {
        for (int p = 0; p < LEVELS; p++) {
            if (levels[p] != null) {
                levels[p].clear();
            }
        }
        size = 0;
    }

    synchronized QueueStats stats() {
        return new QueueStats(name, size, inFlight, consumers.size(), enqueuedCount, dequeuedCount, expiredCount);
    }

    private ArrayDeque<QueueEntry> level(int priority) {
        int p = priority < 0 ? 0 : Math.min(priority, LEVELS - 1);
        ArrayDeque<QueueEntry> level = levels[p];
        if (level == null) {
            level = new ArrayDeque<>();
            levels[p] = level;
        }
        return level;
    }

    private void insertInOrder(QueueEntry entry) {
        ArrayDeque<QueueEntry> level = level(entry.record.priority());
        size++;
        QueueEntry first = level.peekFirst();
        if (first == null || entry.sequence < first.sequence) {
            level.addFirst(entry);
            return;
        }
        QueueEntry last = level.peekLast();
        if (entry.sequence > last.sequence) {
            level.addLast(entry);
            return;
        }
        // Rare: released behind messages that are still waiting. Unwind to the slot and rebuild.
        ArrayDeque<QueueEntry> before = new ArrayDeque<>();
        while (!level.isEmpty() && level.peekFirst().sequence < entry.sequence) {
            before.addLast(level.pollFirst());
        }
        level.addFirst(entry);
        while (!before.isEmpty()) {
            level.addFirst(before.pollLast());
        }
    }

    private void dispatch() {
        if (size == 0 || consumersWithCredit == 0) {
            return;
        }
        long now = 0;
        for (int p = LEVELS - 1; p >= 0 && size > 0; p--) {
            ArrayDeque<QueueEntry> level = levels[p];
            if (level == null || level.isEmpty()) {
                continue;
            }
            Iterator<QueueEntry> it = level.iterator();
            while (it.hasNext()) {
                if (consumersWithCredit == 0) {
                    return;
                }
                QueueEntry entry = it.next();
                if (entry.record.expiration() != 0) {
                    if (now == 0) {
                        now = System.currentTimeMillis();
                    }
                    if (entry.record.isExpired(now)) {
                        it.remove();
                        size--;
                        expiredCount++;
                        dequeuedCount++;
                        continue;
                    }
                }
                ServerConsumer consumer = pickConsumer(entry);
                if (consumer == null) {
                    continue;
                }
                it.remove();
                size--;
                deliver(consumer, entry);
            }
        }
    }

    /**
     * The consumer for a message: one whose indexed selector matches it, else one whose selector
     * evaluates true; among those, the next with credit in rotation.
     */
    private ServerConsumer pickConsumer(QueueEntry entry) {
        SelectorIndex<ServerConsumer> index = consumerIndex;
        for (int i = 0, n = index.indexedProperties(); i < n; i++) {
            ServerConsumer consumer = nextWithCredit(index.matches(i, entry.record), entry, false);
            if (consumer != null) {
                return consumer;
            }
        }
        return nextWithCredit(index.unindexed(), entry, true);
    }

    private ServerConsumer nextWithCredit(List<ServerConsumer> candidates, QueueEntry entry, boolean evaluate) {
        int n = candidates.size();
        for (int i = 0; i < n; i++) {
            int index = (nextConsumer + i) % n;
            ServerConsumer c = candidates.get(index);
            if (c.credit > 0 && (!evaluate || c.accepts(entry))) {
                nextConsumer = index + 1;
                return c;
            }
        }
        return null;
    }

    private void deliver(ServerConsumer consumer, QueueEntry entry) {
        if (--consumer.credit == 0) {
            consumersWithCredit--;
        }
        inFlight++;
        long deliveryId = consumer.connection.track(entry, this);
        consumer.sink.deliver(deliveryId, entry.record, entry.deliveryCount + 1, entry.sequence);
    }
}
