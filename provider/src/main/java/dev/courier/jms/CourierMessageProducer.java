package dev.courier.jms;

import dev.courier.jms.message.CourierMessage;
import dev.courier.message.MessageRecord;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.Queue;
import jakarta.jms.QueueSender;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;

/**
 * A producer: stamps the headers the specification assigns at send time and hands an immutable
 * snapshot of the message to its session (sent at once, or at commit when transacted).
 *
 * <p>Threading: used by one thread at a time, like its session; {@link #close} may come from any.
 * A send with a {@link CompletionListener} is stamped and snapshotted on the caller's thread,
 * then sent and completed on the session's completion thread (see {@link AsyncSends}); a later
 * synchronous send first waits for those, so sends keep their order.
 */
public class CourierMessageProducer implements QueueSender, TopicPublisher {

    private final CourierSession session;
    private final CourierDestination destination;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive = Message.DEFAULT_TIME_TO_LIVE;
    private long deliveryDelay = Message.DEFAULT_DELIVERY_DELAY;
    private boolean disableMessageId;
    private boolean disableTimestamp;
    private volatile boolean closed;

    CourierMessageProducer(CourierSession session, CourierDestination destination) {
        this.session = session;
        this.destination = destination;
    }

    @Override
    public void setDisableMessageID(boolean value) throws JMSException {
        checkOpen();
        disableMessageId = value;
    }

    @Override
    public boolean getDisableMessageID() throws JMSException {
        checkOpen();
        return disableMessageId;
    }

    @Override
    public void setDisableMessageTimestamp(boolean value) throws JMSException {
        checkOpen();
        disableTimestamp = value;
    }

    @Override
    public boolean getDisableMessageTimestamp() throws JMSException {
        checkOpen();
        return disableTimestamp;
    }

    @Override
    public void setDeliveryMode(int mode) throws JMSException {
        checkOpen();
        checkDeliveryMode(mode);
        deliveryMode = mode;
    }

    @Override
    public int getDeliveryMode() throws JMSException {
        checkOpen();
        return deliveryMode;
    }

    @Override
    public void setPriority(int value) throws JMSException {
        checkOpen();
        checkPriority(value);
        priority = value;
    }

    @Override
    public int getPriority() throws JMSException {
        checkOpen();
        return priority;
    }

    @Override
    public void setTimeToLive(long value) throws JMSException {
        checkOpen();
        timeToLive = value;
    }

    @Override
    public long getTimeToLive() throws JMSException {
        checkOpen();
        return timeToLive;
    }

    @Override
    public void setDeliveryDelay(long value) throws JMSException {
        checkOpen();
        deliveryDelay = value;
    }

    @Override
    public long getDeliveryDelay() throws JMSException {
        checkOpen();
        return deliveryDelay;
    }

    @Override
    public Destination getDestination() throws JMSException {
        checkOpen();
        return destination;
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

    /** Waits for this producer's outstanding asynchronous sends (and their callbacks) first. */
    @Override
    public void close() throws JMSException {
        if (session.isCompletionThreadOf(this)) {
            throw new IllegalStateException("close must not be called from a CompletionListener of its own producer");
        }
        if (!closed) {
            session.awaitAsyncSends();
            closed = true;
            session.producerClosed(this);
        }
    }

    void markClosed() {
        closed = true;
    }

    // ---- send overloads: all lead to sendNow

    @Override
    public void send(Message message) throws JMSException {
        sendToOwn(message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Message message, int mode, int prio, long ttl) throws JMSException {
        sendToOwn(message, mode, prio, ttl, null);
    }

    @Override
    public void send(Destination target, Message message) throws JMSException {
        sendToOther(target, message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Destination target, Message message, int mode, int prio, long ttl) throws JMSException {
        sendToOther(target, message, mode, prio, ttl, null);
    }

    @Override
    public void send(Message message, CompletionListener listener) throws JMSException {
        sendToOwn(message, deliveryMode, priority, timeToLive, requireListener(listener));
    }

    @Override
    public void send(Message message, int mode, int prio, long ttl, CompletionListener listener) throws JMSException {
        sendToOwn(message, mode, prio, ttl, requireListener(listener));
    }

    @Override
    public void send(Destination target, Message message, CompletionListener listener) throws JMSException {
        sendToOther(target, message, deliveryMode, priority, timeToLive, requireListener(listener));
    }

    @Override
    public void send(Destination target, Message message, int mode, int prio, long ttl, CompletionListener listener)
            throws JMSException {
        sendToOther(target, message, mode, prio, ttl, requireListener(listener));
    }

    @Override
    public void send(Queue queue, Message message) throws JMSException {
        send((Destination) queue, message);
    }

    @Override
    public void send(Queue queue, Message message, int mode, int prio, long ttl) throws JMSException {
        send((Destination) queue, message, mode, prio, ttl);
    }

    @Override
    public void publish(Message message) throws JMSException {
        send(message);
    }

    @Override
    public void publish(Message message, int mode, int prio, long ttl) throws JMSException {
        send(message, mode, prio, ttl);
    }

    @Override
    public void publish(Topic topic, Message message) throws JMSException {
        send(topic, message);
    }

    @Override
    public void publish(Topic topic, Message message, int mode, int prio, long ttl) throws JMSException {
        send(topic, message, mode, prio, ttl);
    }

    private void sendToOwn(Message message, int mode, int prio, long ttl, CompletionListener listener)
            throws JMSException {
        checkOpen();
        if (destination == null) {
            throw new UnsupportedOperationException("this producer has no destination; name one in send");
        }
        sendNow(destination, message, mode, prio, ttl, listener);
    }

    private void sendToOther(Destination target, Message message, int mode, int prio, long ttl,
                             CompletionListener listener) throws JMSException {
        checkOpen();
        if (destination != null) {
            throw new UnsupportedOperationException("this producer sends to " + destination
                    + "; it cannot send to another destination");
        }
        if (target == null) {
            throw new InvalidDestinationException("destination must not be null");
        }
        sendNow(CourierDestination.from(target), message, mode, prio, ttl, listener);
    }

    private void sendNow(CourierDestination target, Message message, int mode, int prio, long ttl,
                         CompletionListener listener) throws JMSException {
        if (message == null) {
            throw new MessageFormatException("message must not be null");
        }
        checkDeliveryMode(mode);
        checkPriority(prio);
        long now = System.currentTimeMillis();
        message.setJMSDestination(target);
        message.setJMSDeliveryMode(mode);
        message.setJMSPriority(prio);
        message.setJMSExpiration(ttl > 0 ? now + ttl : 0);
        message.setJMSTimestamp(disableTimestamp ? 0 : now);
        message.setJMSDeliveryTime(now + deliveryDelay);
        if (disableMessageId) {
            message.setJMSMessageID(null);
        } else if (message instanceof CourierMessage courierMessage) {
            session.connection.assignNextMessageId(courierMessage);
        } else {
            message.setJMSMessageID(session.connection.nextMessageId());
        }
        MessageRecord record = message instanceof CourierMessage
                ? ((CourierMessage) message).toRecord()
                : CourierMessage.toRecord(message);
        if (listener == null) {
            session.awaitAsyncSends();
            session.send(record);
            return;
        }
        session.sendAsync(this, record, message, listener);
    }

    private static CompletionListener requireListener(CompletionListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("CompletionListener must not be null");
        }
        return listener;
    }

    private static void checkDeliveryMode(int mode) throws JMSException {
        if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("invalid delivery mode " + mode);
        }
    }

    private static void checkPriority(int prio) throws JMSException {
        if (prio < 0 || prio > 9) {
            throw new JMSException("priority must be 0 to 9: " + prio);
        }
    }

    private void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("producer is closed");
        }
        if (session.isClosed()) {
            throw new IllegalStateException("session is closed");
        }
    }
}
