package dev.courier.broker;

import java.util.ArrayList;
import java.util.List;

/**
 * The consumers of one {@link MessageQueue}, which compete for its messages, and their credit:
 * which consumer gets a message, and whether any consumer may be pushed one at all. A message
 * goes to a consumer whose indexed selector matches it, else to one whose selector evaluates
 * true; among those, to the next with credit in rotation, so competing consumers share the load.
 *
 * <p>Threading: owned by its queue and guarded by the queue's monitor, as is every consumer's
 * {@link ServerConsumer#credit}. Picking a consumer allocates nothing.
 */
final class CompetingConsumers {

    private final List<ServerConsumer> consumers = new ArrayList<>(2);
    private SelectorIndex<ServerConsumer> index = SelectorIndex.empty();
    /** How many consumers have credit left; zero lets dispatch stop at once. */
    private int withCredit;
    /** Where the rotation resumes. */
    private int next;

    void add(ServerConsumer consumer) {
        consumers.add(consumer);
        index = SelectorIndex.of(consumers, c -> c.selector);
        if (consumer.credit > 0) {
            withCredit++;
        }
    }

    /** Removes the consumer (if it is one of these) and takes its credit. */
    void remove(ServerConsumer consumer) {
        if (consumers.remove(consumer)) {
            index = SelectorIndex.of(consumers, c -> c.selector);
            if (consumer.credit > 0) {
                withCredit--;
            }
        }
        consumer.credit = 0;
        next = 0;
    }

    int count() {
        return consumers.size();
    }

    /** Lends credit; false, and nothing changed, if there is none or the consumer is not one of these. */
    boolean addCredit(ServerConsumer consumer, int credit) {
        if (credit <= 0 || !consumers.contains(consumer)) {
            return false;
        }
        if (consumer.credit == 0) {
            withCredit++;
        }
        consumer.credit += credit;
        return true;
    }

    void revokeCredit(ServerConsumer consumer) {
        if (consumer.credit > 0 && consumers.contains(consumer)) {
            withCredit--;
        }
        consumer.credit = 0;
    }

    boolean anyWithCredit() {
        return withCredit > 0;
    }

    /** The consumer for a message, or null if none with credit accepts it. */
    ServerConsumer pick(QueueEntry entry) {
        SelectorIndex<ServerConsumer> current = index;
        for (int i = 0, n = current.indexedProperties(); i < n; i++) {
            ServerConsumer consumer = nextWithCredit(current.matches(i, entry.record), entry, false);
            if (consumer != null) {
                return consumer;
            }
        }
        return nextWithCredit(current.unindexed(), entry, true);
    }

    /** A message is pushed to {@code consumer}, which spends one credit. */
    void spend(ServerConsumer consumer) {
        if (--consumer.credit == 0) {
            withCredit--;
        }
    }

    private ServerConsumer nextWithCredit(List<ServerConsumer> candidates, QueueEntry entry, boolean evaluate) {
        int n = candidates.size();
        for (int i = 0; i < n; i++) {
            int slot = (next + i) % n;
            ServerConsumer c = candidates.get(slot);
            if (c.credit > 0 && (!evaluate || c.accepts(entry))) {
                next = slot + 1;
                return c;
            }
        }
        return null;
    }
}
