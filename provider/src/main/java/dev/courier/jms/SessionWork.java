package dev.courier.jms;

import dev.courier.client.BrokerLink;
import dev.courier.client.TransactionOutcomeUnknownException;
import dev.courier.message.MessageRecord;
import jakarta.jms.JMSException;
import jakarta.jms.TransactionRolledBackException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's open work: deliveries the application has seen but not yet settled (CLIENT_ACKNOWLEDGE
 * and transacted sessions), and the sends a transacted session holds until commit; and what
 * acknowledge, commit, rollback, recover and close do with them.
 *
 * <p>Threading: the session's thread adds and settles; close may come from another thread, so
 * the lists are guarded by {@code this}. The broker link is never called while holding it.
 */
final class SessionWork {

    /** A delivery the application has seen but not yet acknowledged or committed. */
    private record Unsettled(CourierMessageConsumer consumer, long deliveryId) {
    }

    private final BrokerLink link;
    private final List<Unsettled> unsettled = new ArrayList<>();
    private final List<MessageRecord> heldSends = new ArrayList<>();

    SessionWork(BrokerLink link) {
        this.link = link;
    }

    synchronized void delivered(CourierMessageConsumer consumer, long deliveryId) {
        unsettled.add(new Unsettled(consumer, deliveryId));
    }

    /** Takes one delivery out of the unsettled ones; false if it is no longer there (recovered). */
    synchronized boolean settle(long deliveryId) {
        for (int i = unsettled.size() - 1; i >= 0; i--) {
            if (unsettled.get(i).deliveryId() == deliveryId) {
                unsettled.remove(i);
                return true;
            }
        }
        return false;
    }

    synchronized void hold(MessageRecord send) {
        heldSends.add(send);
    }

    /** Sends the held messages and settles the seen deliveries in one atomic broker commit. */
    void commit() throws JMSException {
        List<MessageRecord> sends;
        long[] acks;
        synchronized (this) {
            sends = List.copyOf(heldSends);
            acks = ids(unsettled);
        }
        try {
            link.commit(sends, acks);
        } catch (TransactionRolledBackException | TransactionOutcomeUnknownException e) {
            // Either way nothing of the transaction is left to commit: start afresh.
            rollback();
            throw e;
        }
        synchronized (this) {
            heldSends.subList(0, sends.size()).clear();
            unsettled.subList(0, acks.length).clear();
        }
    }

    /** Drops the held sends and gives back the seen deliveries for redelivery. */
    void rollback() throws JMSException {
        synchronized (this) {
            heldSends.clear();
        }
        redeliver();
    }

    /** Gives every seen-but-unsettled message back to the broker, to come again in its original place. */
    void redeliver() throws JMSException {
        List<Unsettled> released = takeUnsettled();
        if (released.isEmpty()) {
            return;
        }
        Map<CourierMessageConsumer, Integer> perConsumer = new IdentityHashMap<>();
        for (Unsettled u : released) {
            perConsumer.merge(u.consumer(), 1, Integer::sum);
        }
        // Released first, so the credit lent next is spent on them (they sit at the head of the
        // queue) rather than on messages behind them.
        link.release(ids(released), true);
        for (Map.Entry<CourierMessageConsumer, Integer> e : perConsumer.entrySet()) {
            e.getKey().redelivering(e.getValue());
        }
    }

    /** CLIENT_ACKNOWLEDGE: settles everything seen so far. */
    void acknowledgeAll() throws JMSException {
        long[] ids = ids(takeUnsettled());
        if (ids.length > 0) {
            link.acknowledge(ids);
        }
    }

    /** The session closes: held sends vanish, seen deliveries return as delivered. */
    void abandon() throws JMSException {
        synchronized (this) {
            heldSends.clear();
        }
        long[] ids = ids(takeUnsettled());
        if (ids.length > 0) {
            link.release(ids, true);
        }
    }

    private synchronized List<Unsettled> takeUnsettled() {
        List<Unsettled> taken = new ArrayList<>(unsettled);
        unsettled.clear();
        return taken;
    }

    private static long[] ids(List<Unsettled> deliveries) {
        long[] ids = new long[deliveries.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = deliveries.get(i).deliveryId();
        }
        return ids;
    }
}
