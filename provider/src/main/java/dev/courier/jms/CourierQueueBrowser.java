package dev.courier.jms;

import dev.courier.jms.message.CourierMessage;
import dev.courier.message.MessageRecord;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Looks at a queue without consuming: each enumeration is a snapshot of the messages waiting at
 * the moment it is created, in delivery order.
 */
final class CourierQueueBrowser implements QueueBrowser {

    private final CourierSession session;
    private final Queue queue;
    private final String selector;
    private volatile boolean closed;

    CourierQueueBrowser(CourierSession session, Queue queue, String selector) throws JMSException {
        this.session = session;
        this.queue = queue;
        this.selector = selector == null || selector.isBlank() ? null : selector;
        // Validate the selector and the queue now, as createBrowser must.
        session.connection.link.browse(((CourierDestination) queue).address(), this.selector);
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return queue;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector;
    }

    @Override
    public Enumeration<?> getEnumeration() throws JMSException {
        checkOpen();
        List<MessageRecord> snapshot = session.connection.link.browse(((CourierDestination) queue).address(), selector);
        Iterator<MessageRecord> it = snapshot.iterator();
        return new Enumeration<Message>() {
            @Override
            public boolean hasMoreElements() {
                return it.hasNext();
            }

            @Override
            public Message nextElement() {
                if (!it.hasNext()) {
                    throw new NoSuchElementException();
                }
                return CourierMessage.fromRecord(it.next(), 1, false, session.connection.options.deserialization());
            }
        };
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("browser is closed");
        }
        session.checkOpen();
    }
}
