package dev.courier.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MessageListener;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one session's message listeners: one task at a time on the connection's pool, calling
 * listeners serially, as the specification requires of a session.
 *
 * <p>Threading: the task holds {@link #deliveryLock} while it calls listeners, so stop and close
 * can wait for a running listener ({@link #awaitIdle}). Between messages it parks for a short
 * while instead of ending, and the next delivery unparks it: a steady stream of messages then
 * costs no task hand-off per message. {@link #listenerThread} and {@link #taskThread} are
 * written by the task and read by any thread.
 */
final class ListenerDispatcher {

    private static final System.Logger LOG = System.getLogger(ListenerDispatcher.class.getName());
    /** How long an idle task waits for more messages before giving its thread back. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final CourierSession session;
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private final AtomicBoolean taskScheduled = new AtomicBoolean();
    /** The thread calling a listener right now (holding {@link #deliveryLock}), or null. */
    private volatile Thread listenerThread;
    /** The pool thread of the task, running or parked waiting for messages, or null. */
    private volatile Thread taskThread;

    ListenerDispatcher(CourierSession session) {
        this.session = session;
    }

    /** Messages are waiting for a listener: start the task, or wake it if it is parked. */
    void schedule() {
        if (session.isClosing() || !session.connection.isStarted()) {
            return;
        }
        if (taskScheduled.compareAndSet(false, true)) {
            session.connection.executeListenerTask(this::runTask);
        } else {
            wake();
        }
    }

    /** Wakes a parked task, so it notices a close or stop at once. */
    void wake() {
        Thread idle = taskThread;
        if (idle != null) {
            LockSupport.unpark(idle);
        }
    }

    /** True when the calling thread is running one of the session's listeners. */
    boolean isListenerThread() {
        return Thread.currentThread() == listenerThread;
    }

    /** Returns when no listener of the session is running, unless the caller is that listener. */
    void awaitIdle() {
        if (isListenerThread()) {
            return;
        }
        deliveryLock.lock();
        deliveryLock.unlock();
    }

    private void runTask() {
        taskThread = Thread.currentThread();
        try {
            long idleSince = System.nanoTime();
            while (!session.isClosing() && session.connection.isStarted()) {
                if (deliverAvailable()) {
                    idleSince = System.nanoTime();
                    continue;
                }
                long idle = System.nanoTime() - idleSince;
                if (idle >= IDLE_NANOS) {
                    break;
                }
                LockSupport.parkNanos(this, IDLE_NANOS - idle);
            }
        } finally {
            taskThread = null;
            taskScheduled.set(false);
        }
        // A delivery may have come after the last pass and before the flag was cleared.
        for (CourierMessageConsumer consumer : session.consumers()) {
            if (consumer.hasBufferedForListener()) {
                schedule();
                return;
            }
        }
    }

    /** Passes over the consumers' buffers until they are empty; true if any message went out. */
    private boolean deliverAvailable() {
        boolean any = false;
        deliveryLock.lock();
        listenerThread = Thread.currentThread();
        try {
            boolean delivered = true;
            while (delivered && !session.isClosing() && session.connection.isStarted()) {
                delivered = false;
                for (CourierMessageConsumer consumer : session.consumers()) {
                    if (session.isClosing() || !session.connection.isStarted()) {
                        break;
                    }
                    MessageListener listener = consumer.listener();
                    PendingDelivery delivery = listener == null ? null : consumer.pollForListener();
                    if (delivery != null) {
                        delivered = true;
                        any = true;
                        session.deliverToListener(consumer, listener, delivery);
                    }
                }
            }
        } catch (JMSException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "message delivery to a listener failed", e);
        } finally {
            listenerThread = null;
            deliveryLock.unlock();
        }
        return any;
    }
}
