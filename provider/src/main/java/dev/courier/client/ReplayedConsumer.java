package dev.courier.client;

import dev.courier.broker.ConsumerSpec;
import jakarta.jms.JMSException;

/**
 * One consumer of a {@link FailoverBrokerLink}, as the link must reopen it on a new connection:
 * its spec, the link the broker knows it on, and its credit (what it was lent minus what it was
 * delivered, plus what it dropped when a connection was lost), so that a reopened consumer gets
 * exactly the credit its JMS consumer believes the broker holds.
 *
 * <p>Delivery ids handed to the JMS consumer carry the generation of the connection they came on
 * above {@link #ID_BITS}, so acknowledgements of a lost connection can be told apart.
 *
 * <p>Threading: guarded by its monitor, which the deliveries of its links take too: once the
 * consumer was emptied for a replay, no delivery of a lost link can land in its buffer. The JMS
 * consumer never calls the link while holding its own lock, so taking that lock inside this
 * monitor cannot deadlock. Broker calls are made outside the monitor.
 */
final class ReplayedConsumer {

    /** Low bits of a delivery id handed out: the broker's id; the bits above: the generation. */
    static final int ID_BITS = 40;
    static final long ID_MASK = (1L << ID_BITS) - 1;

    final long id;
    final ConsumerSpec spec;
    private final DeliveryListener listener;
    private long credit;
    /** Credit lent while no link was live, to add once the replay has reopened the consumer. */
    private long addedWhileDown;
    /** The link the broker knows this consumer on, or null while reconnecting. */
    private TcpBrokerLink live;

    ReplayedConsumer(long id, ConsumerSpec spec, DeliveryListener listener) {
        this.id = id;
        this.spec = spec;
        this.listener = listener;
    }

    /** Opens the consumer for the first time on {@code link}. */
    void open(TcpBrokerLink link, long generation) throws JMSException {
        synchronized (this) {
            credit = spec.credit();
        }
        link.openConsumer(id, spec, deliveriesFrom(link, generation));
        synchronized (this) {
            live = link;
        }
    }

    /** Reopens the consumer on a new connection with the credit it holds, then what was lent meanwhile. */
    void reopen(TcpBrokerLink link, long generation) throws JMSException {
        long lend;
        synchronized (this) {
            lend = Math.max(0, credit);
            addedWhileDown = 0;
        }
        link.openConsumer(id, new ConsumerSpec(spec.destination(), spec.selector(), spec.noLocal(),
                spec.subscriptionName(), spec.durable(), spec.shared(), (int) Math.min(Integer.MAX_VALUE, lend)),
                deliveriesFrom(link, generation));
        long extra;
        synchronized (this) {
            extra = addedWhileDown;
            live = link;
        }
        if (extra > 0) {
            link.addCredit(id, (int) Math.min(Integer.MAX_VALUE, extra));
        }
    }

    /** Deliveries from {@code link}, with ids of its generation; none once the link has failed. */
    private DeliveryListener deliveriesFrom(TcpBrokerLink link, long generation) {
        long base = generation << ID_BITS;
        return (deliveryId, record, deliveryCount, sequence) -> {
            synchronized (this) {
                if (link.hasFailed()) {
                    return;
                }
                credit--;
                listener.onDelivery(base | deliveryId, record, deliveryCount, sequence);
            }
        };
    }

    /**
     * While no link is live the credit is only counted; the replay lends it.
     *
     * @param topUp a window's top-up, posted without waiting ({@link BrokerLink#topUpCredit})
     */
    void addCredit(int more, boolean topUp) throws JMSException {
        TcpBrokerLink target;
        synchronized (this) {
            credit += more;
            target = live;
            if (target == null) {
                addedWhileDown += more;
                return;
            }
        }
        try {
            if (topUp) {
                target.topUpCredit(id, more);
            } else {
                target.addCredit(id, more);
            }
        } catch (JMSException e) {
            if (!target.hasFailed()) {
                throw e;
            }
        }
    }

    /** Takes back all credit; the caller keeps a replay from running meanwhile. */
    void revokeCredit() throws JMSException {
        TcpBrokerLink target;
        synchronized (this) {
            target = live;
        }
        if (target != null) {
            try {
                target.revokeCredit(id);
            } catch (JMSException e) {
                if (!target.hasFailed()) {
                    throw e;
                }
            }
        }
        synchronized (this) {
            credit = 0;
            addedWhileDown = 0;
        }
    }

    /** Detaches the consumer from the broker, if a live link has it. */
    void close() throws JMSException {
        TcpBrokerLink target;
        synchronized (this) {
            target = live;
            live = null;
        }
        if (target != null) {
            try {
                target.closeConsumer(id);
            } catch (JMSException e) {
                if (!target.hasFailed()) {
                    throw e;
                }
            }
        }
    }

    /** {@code link} was lost: if it was this consumer's, drop what it buffered and take back that credit. */
    synchronized void detach(TcpBrokerLink link) {
        if (live == link || live == null) {
            live = null;
            credit += listener.discardDeliveries();
        }
    }

    /** A replay begins: whatever link was live is gone. */
    synchronized void detachAny() {
        live = null;
        credit += listener.discardDeliveries();
    }
}
