package dev.courier.jms;

import dev.courier.client.DeliveryListener;
import dev.courier.concurrent.LearnedSpin;
import dev.courier.concurrent.SpinSlots;
import dev.courier.message.MessageRecord;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A consumer: buffers what the broker pushes (up to its window) and hands messages to
 * {@code receive} or to its session's listener delivery.
 *
 * <p>Threading: deliveries arrive on the broker's dispatching thread, which only pushes them to
 * the lock-free {@link #inbox} and never takes {@link #lock} unless a receiver waits (it counts
 * itself in {@link #waiters} first). The consuming side moves the inbox into {@link #buffer}
 * under {@link #lock}, which also guards credit accounting. Nothing holding {@link #lock} ever
 * calls the broker link, because the broker holds a queue lock while it delivers. A receiver
 * about to wait first polls the inbox without the lock, as long as the consumer's
 * {@link LearnedSpin} says and only with one of the process's {@link SpinSlots}: a request/reply
 * exchange's reply is often microseconds away, and catching it spinning saves the deliverer a
 * wake-up and the receiver a reschedule. {@link #spin} belongs to the receiving thread.
 */
public class CourierMessageConsumer implements QueueReceiver, TopicSubscriber, DeliveryListener {

    /** A receiver whose waits are long still polls this long: a burst's next message is often this close. */
    private static final long SHORT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(5);
    /** The longest poll, for a receiver whose messages come within tens of microseconds (a reply). */
    private static final long LONGEST_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    final long id;
    private final CourierSession session;
    private final CourierDestination destination;
    private final String selector;
    private final boolean noLocal;
    private final int window;
    private final int grantThreshold;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final DeliveryInbox inbox = new DeliveryInbox();
    /** Guarded by {@link #lock}; fed from {@link #inbox}. */
    private final DeliveryBuffer buffer = new DeliveryBuffer();
    /** Receivers waiting on {@link #changed}; written under {@link #lock}, read by deliverers. */
    private volatile int waiters;
    private final LearnedSpin spin = new LearnedSpin(SHORT_SPIN_NANOS, LONGEST_SPIN_NANOS);
    private final SpinSlots.Awaited arrivedOrClosed = () -> !inbox.isEmpty() || this.closed;
    private volatile MessageListener listener;
    private volatile boolean closed;
    private int consumedSinceGrant;
    /** The broker has been given credit since the connection (last) started. */
    private boolean creditGranted;
    /** The broker knows this consumer, so credit given to it counts. */
    private boolean opened;
    private boolean pullOutstanding;

    CourierMessageConsumer(CourierSession session, long id, CourierDestination destination, String selector,
                           boolean noLocal, int window) {
        this.session = session;
        this.id = id;
        this.destination = destination;
        this.selector = selector == null || selector.isBlank() ? null : selector;
        this.noLocal = noLocal;
        this.window = window;
        this.grantThreshold = Math.max(1, window / 2);
    }

    /**
     * The credit to open the consumer with: its window if the connection is started, else none,
     * so a stopped connection's consumer never holds queue messages a started one could take
     * (the broker is given the window when the connection starts).
     */
    int initialCredit() {
        lock.lock();
        try {
            creditGranted = window > 0 && session.connection.isStarted();
            return creditGranted ? window : 0;
        } finally {
            lock.unlock();
        }
    }

    /** The broker knows the consumer now, or the connection started: give it its credit if due. */
    void grantCreditIfStarted() throws JMSException {
        int grant;
        lock.lock();
        try {
            opened = true;
            if (closed || creditGranted || !session.connection.isStarted()) {
                return;
            }
            // A pull (window 0) consumer asks per receive; with a listener it keeps one request open.
            grant = window > 0 ? window : listener != null ? 1 : 0;
            if (grant == 0) {
                return;
            }
            creditGranted = true;
            consumedSinceGrant = 0;
        } finally {
            lock.unlock();
        }
        session.connection.link.addCredit(id, grant);
    }

    /** The connection stopped: take back the credit and return what is buffered, undelivered. */
    void connectionStopped() throws JMSException {
        lock.lock();
        try {
            if (!creditGranted || closed) {
                return;
            }
            creditGranted = false;
        } finally {
            lock.unlock();
        }
        session.connection.link.revokeCredit(id);
        long[] buffered = drainBuffered();
        if (buffered.length > 0) {
            session.connection.link.release(buffered, false);
        }
    }

    @Override
    public void onDelivery(long deliveryId, MessageRecord record, int deliveryCount, long sequence) {
        inbox.push(new PendingDelivery(deliveryId, record, deliveryCount, sequence));
        // Read after the push; a receiver counts itself before it last looks at the inbox.
        if (waiters != 0) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
        if (listener != null) {
            session.scheduleListenerDelivery();
        }
    }

    /** The link lost its broker, which takes back what is buffered here: drop it (it comes again). */
    @Override
    public int discardDeliveries() {
        lock.lock();
        try {
            inbox.drainTo(buffer);
            return buffer.drainIds().length;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector;
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return listener;
    }

    @Override
    public void setMessageListener(MessageListener messageListener) throws JMSException {
        checkOpen();
        this.listener = messageListener;
        if (messageListener != null) {
            if (opened) {
                grantCreditIfStarted();
            }
            session.scheduleListenerDelivery();
        }
    }

    @Override
    public Message receive() throws JMSException {
        return receive(Long.MAX_VALUE, false);
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        return timeout == 0 ? receive() : receive(timeout, false);
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        return receive(0, true);
    }

    private Message receive(long timeoutMillis, boolean noWait) throws JMSException {
        PendingDelivery delivery = nextDelivery(timeoutMillis, noWait);
        return delivery == null ? null : session.delivery.toReceiver(this, delivery);
    }

    /**
     * {@code JMSConsumer.receiveBody}: the body of the next message as {@code type}, or null on
     * timeout or close. {@code timeoutMillis} 0 with {@code noWait} false waits indefinitely.
     */
    <T> T receiveBody(Class<T> type, long timeoutMillis, boolean noWait) throws JMSException {
        long timeout = !noWait && timeoutMillis == 0 ? Long.MAX_VALUE : timeoutMillis;
        PendingDelivery delivery = nextDelivery(timeout, noWait);
        return delivery == null ? null : session.delivery.bodyToReceiver(this, delivery, type);
    }

    /**
     * Puts back a delivery that {@code receiveBody} could not hand out: it has not been consumed,
     * so it comes again before the messages behind it, not marked redelivered. False when the
     * consumer has closed meanwhile and the caller must return the delivery to the broker.
     */
    boolean putBack(PendingDelivery delivery) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            buffer.add(delivery);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next unexpired delivery for {@code receive}, waiting as told; null on timeout or close.
     * A pull (window 0) that gives up takes back its credit.
     */
    private PendingDelivery nextDelivery(long timeoutMillis, boolean noWait) throws JMSException {
        PendingDelivery delivery = awaitDelivery(timeoutMillis, noWait);
        if (delivery == null && window == 0 && !closed) {
            cancelPull();
        }
        return delivery;
    }

    /**
     * Spins as long as the learned spin says after {@code waitStart} (not past {@code deadline})
     * while no delivery arrives, if a spin slot is free.
     */
    private void spinWhile(long waitStart, long deadline) {
        SpinSlots.shared().spinUntil(arrivedOrClosed, Math.min(waitStart + spin.spinNanos(), deadline));
    }

    private PendingDelivery awaitDelivery(long timeoutMillis, boolean noWait) throws JMSException {
        checkOpen();
        if (listener != null) {
            throw new IllegalStateException("consumer has a message listener; receive is not allowed");
        }
        long deadline = noWait || timeoutMillis == Long.MAX_VALUE ? Long.MAX_VALUE
                : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean pulled = false;
        boolean spun = false;
        long waitStart = 0;
        while (true) {
            PendingDelivery delivery = null;
            boolean requestOne = false;
            lock.lock();
            try {
                while (true) {
                    if (closed) {
                        return null;
                    }
                    if (session.connection.isStarted()) {
                        delivery = pollBuffered();
                        if (delivery != null) {
                            if (waitStart != 0) {
                                spin.waited(System.nanoTime() - waitStart);
                                waitStart = 0;
                            }
                            break;
                        }
                        if (window == 0 && !pullOutstanding && !pulled) {
                            pullOutstanding = true;
                            requestOne = true;
                            break;
                        }
                    }
                    if (noWait) {
                        return null;
                    }
                    if (waitStart == 0) {
                        waitStart = System.nanoTime();
                    }
                    if (!spun) {
                        // A reply is often microseconds away: poll before parking, which saves
                        // the deliverer a wake-up and this thread a reschedule.
                        spun = true;
                        lock.unlock();
                        try {
                            spinWhile(waitStart, deadline);
                        } finally {
                            lock.lock();
                        }
                        continue;
                    }
                    long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                    if (left <= 0) {
                        spin.waited(System.nanoTime() - waitStart);
                        return null;
                    }
                    // Counted before the last look at the inbox, so a deliverer that pushes after
                    // that look sees the count and signals. What that look finds is taken into
                    // the buffer, so a stopped connection's receiver waits instead of spinning.
                    waiters++;
                    try {
                        if (!takeInArrivals() || !session.connection.isStarted()) {
                            if (left == Long.MAX_VALUE) {
                                changed.await();
                            } else {
                                changed.awaitNanos(left);
                            }
                        }
                    } finally {
                        waiters--;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } finally {
                lock.unlock();
            }
            if (requestOne) {
                pulled = true;
                session.connection.link.addCredit(id, 1);
                continue;
            }
            if (delivery.record().isExpired(System.currentTimeMillis())) {
                session.delivery.discardExpired(this, delivery);
                pulled = false;
                continue;
            }
            return delivery;
        }
    }

    /** The next message for the session's listener delivery, or null; drops expired ones. */
    PendingDelivery pollForListener() throws JMSException {
        while (true) {
            PendingDelivery delivery;
            lock.lock();
            try {
                if (closed || listener == null) {
                    return null;
                }
                delivery = pollBuffered();
            } finally {
                lock.unlock();
            }
            if (delivery == null || !delivery.record().isExpired(System.currentTimeMillis())) {
                return delivery;
            }
            session.delivery.discardExpired(this, delivery);
        }
    }

    /** Under {@link #lock}: the next buffered delivery, after taking in what the inbox holds. */
    private PendingDelivery pollBuffered() {
        takeInArrivals();
        return buffer.poll();
    }

    /** Under {@link #lock}: moves the inbox into the buffer; true when anything came. */
    private boolean takeInArrivals() {
        if (inbox.drainTo(buffer) == 0) {
            return false;
        }
        pullOutstanding = false;
        return true;
    }

    MessageListener listener() {
        return listener;
    }

    boolean hasBufferedForListener() {
        lock.lock();
        try {
            return listener != null && !closed && !(inbox.isEmpty() && buffer.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /** The application took one message: return credit to the broker in batches. */
    void consumed() throws JMSException {
        int grant = 0;
        lock.lock();
        try {
            if (!creditGranted) {
                return;
            }
            if (window == 0) {
                if (listener != null) {
                    grant = 1;
                }
            } else if (++consumedSinceGrant >= grantThreshold) {
                grant = consumedSinceGrant;
                consumedSinceGrant = 0;
            }
        } finally {
            lock.unlock();
        }
        if (grant > 0 && !closed) {
            session.connection.link.topUpCredit(id, grant);
        }
    }

    /**
     * {@code count} consumed messages go back to the broker to be redelivered: lend the broker
     * the credit to push them at once, so they come ahead of what is buffered behind them.
     */
    void redelivering(int count) throws JMSException {
        if (closed || count == 0) {
            return;
        }
        lock.lock();
        try {
            consumedSinceGrant -= count;
        } finally {
            lock.unlock();
        }
        session.connection.link.addCredit(id, count);
    }

    /** Stops handing out messages and wakes blocked receivers; the buffer keeps filling until the broker detaches it. */
    void stopDelivery() {
        lock.lock();
        try {
            closed = true;
            listener = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the ids of everything buffered; called once the broker no longer delivers. */
    long[] drainBuffered() {
        lock.lock();
        try {
            inbox.drainTo(buffer);
            return buffer.drainIds();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A pull (window 0) receive gave up: take back the credit it lent the broker, and return
     * anything that arrived meanwhile, so a competing consumer gets it instead.
     */
    private void cancelPull() throws JMSException {
        session.connection.link.revokeCredit(id);
        long[] arrived;
        lock.lock();
        try {
            pullOutstanding = false;
            inbox.drainTo(buffer);
            arrived = buffer.drainIds();
        } finally {
            lock.unlock();
        }
        if (arrived.length > 0) {
            session.connection.link.release(arrived, false);
        }
    }

    /** Wakes receivers waiting for the connection to start. */
    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        session.closeConsumer(this);
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return (Queue) destination;
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        return (Topic) destination;
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        checkOpen();
        return noLocal;
    }

    private void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("consumer is closed");
        }
    }
}
