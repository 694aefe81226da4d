package dev.courier.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MessageListener;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one session's message listeners: serially, as the specification requires of a session,
 * in bounded passes on the connection's {@link ListenerWorkers}.
 *
 * <p>Threading: a pass holds {@link #deliveryLock} while it calls listeners, so stop and close
 * can wait for a running listener ({@link #awaitIdle}). {@link #queued} makes the session wait in
 * the workers' queue at most once; a pass clears it when done and re-queues the session if
 * messages came meanwhile. {@link #listenerThread} is written by the pass and read by any thread.
 */
final class ListenerDispatcher {

    private static final System.Logger LOG = System.getLogger(ListenerDispatcher.class.getName());
    /** Messages one pass delivers before the session goes to the back of the queue (fairness). */
    private static final int PASS_BUDGET = 64;

    private final CourierSession session;
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private final AtomicBoolean queued = new AtomicBoolean();
    /** The automatic acknowledgements of the running pass; see {@link PassAcknowledgements}. */
    private final PassAcknowledgements acknowledgements = new PassAcknowledgements(PASS_BUDGET);
    /** The thread calling a listener right now (holding {@link #deliveryLock}), or null. */
    private volatile Thread listenerThread;

    ListenerDispatcher(CourierSession session) {
        this.session = session;
    }

    /** Messages are waiting for a listener: queue the session for a worker unless it is queued. */
    void schedule() {
        if (session.isClosing() || !session.connection.isStarted()) {
            return;
        }
        // Read first: while the session is queued, a delivery costs no atomic write.
        if (!queued.get() && queued.compareAndSet(false, true)) {
            session.connection.scheduleListeners(this);
        }
    }

    /** True when the calling thread is running one of the session's listeners. */
    boolean isListenerThread() {
        return Thread.currentThread() == listenerThread;
    }

    /**
     * Called by a listener before it closes a consumer of its own session, so that the closed
     * consumer leaves unsettled only the message being processed, as one acknowledgement at a
     * time did, not those of the pass so far.
     */
    void sendAcknowledgementsFromListener() throws JMSException {
        if (isListenerThread()) {
            acknowledgements.send(session.connection.link);
        }
    }

    /** Returns when no listener of the session is running, unless the caller is that listener. */
    void awaitIdle() {
        if (isListenerThread()) {
            return;
        }
        deliveryLock.lock();
        deliveryLock.unlock();
    }

    /** One pass, on a worker: delivers what is buffered, up to the budget. */
    void runPass() {
        try {
            deliverAvailable();
        } finally {
            queued.set(false);
        }
        // A delivery may have come after the pass looked and before the flag was cleared.
        for (CourierMessageConsumer consumer : session.consumers()) {
            if (consumer.hasBufferedForListener()) {
                schedule();
                return;
            }
        }
    }

    /** Passes over the consumers' buffers until they are empty or the budget is spent. */
    private void deliverAvailable() {
        int budget = PASS_BUDGET;
        deliveryLock.lock();
        listenerThread = Thread.currentThread();
        try {
            boolean delivered = true;
            while (delivered && budget > 0 && !session.isClosing() && session.connection.isStarted()) {
                delivered = false;
                for (CourierMessageConsumer consumer : session.consumers()) {
                    if (session.isClosing() || !session.connection.isStarted()) {
                        break;
                    }
                    MessageListener listener = consumer.listener();
                    PendingDelivery delivery = listener == null ? null : consumer.pollForListener();
                    if (delivery != null) {
                        delivered = true;
                        budget--;
                        session.delivery.toListener(consumer, listener, delivery, acknowledgements);
                    }
                }
            }
        } catch (JMSException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "message delivery to a listener failed", e);
        } finally {
            sendAcknowledgements();
            listenerThread = null;
            deliveryLock.unlock();
        }
    }

    /** Sends the pass's acknowledgements; a failed link takes the messages back anyway. */
    private void sendAcknowledgements() {
        try {
            acknowledgements.send(session.connection.link);
        } catch (JMSException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "acknowledging messages a listener consumed failed", e);
        }
    }
}
