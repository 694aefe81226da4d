package dev.courier.jms;

import dev.courier.client.BrokerLink;
import jakarta.jms.JMSException;

/**
 * The automatic acknowledgements (AUTO_ACKNOWLEDGE, DUPS_OK_ACKNOWLEDGE) of the messages whose
 * listener returned during one listener pass, sent to the broker together when the pass ends,
 * when a pass's worth has gathered, or before the listener closes a consumer of its session.
 *
 * <p>Why: one acknowledgement per message makes the broker take the queue's lock and touch its
 * counters once per message from the listener's core, while the producer's core takes them for
 * the next message. Settled per pass, the queue's state crosses cores once per pass. The cost
 * is that after a client crash up to a pass's worth of messages whose listener returned comes
 * again marked redelivered, where one acknowledgement at a time risked only the last: both
 * modes allow redelivery after a failure.
 *
 * <p>Threading: used only by the thread running the session's listener pass, which holds the
 * pass's lock, so it needs none of its own.
 */
final class PassAcknowledgements {

    private final long[] ids;
    private int count;

    /** @param capacity acknowledgements gathered before they are sent without waiting for the pass's end */
    PassAcknowledgements(int capacity) {
        this.ids = new long[capacity];
    }

    /** Adds one; sends them all when full. */
    void add(long deliveryId, BrokerLink link) throws JMSException {
        ids[count++] = deliveryId;
        if (count == ids.length) {
            send(link);
        }
    }

    /** Sends what has gathered, if anything. */
    void send(BrokerLink link) throws JMSException {
        int n = count;
        if (n == 0) {
            return;
        }
        count = 0;
        link.acknowledgeConsumed(ids, n);
    }
}
