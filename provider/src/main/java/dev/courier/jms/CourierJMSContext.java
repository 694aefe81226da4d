package dev.courier.jms;

import dev.courier.jms.message.CourierBytesMessage;
import dev.courier.jms.message.CourierMapMessage;
import dev.courier.jms.message.CourierMessage;
import dev.courier.jms.message.CourierObjectMessage;
import dev.courier.jms.message.CourierStreamMessage;
import dev.courier.jms.message.CourierTextMessage;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.Serializable;

/**
 * Courier's {@link JMSContext}: one classic {@link CourierSession} on a {@link CourierConnection}
 * that it may share with other contexts made by {@link #createContext(int)}; the connection
 * closes with the last context using it. Failures surface as {@link JMSRuntimeException}s.
 *
 * <p>The session is created on first need, not with the context, because creating a session
 * fixes the connection's client ID and {@link #setClientID} must still work right after
 * {@code createContext}. Likewise the anonymous producer behind every {@link JMSProducer} of
 * this context.
 *
 * <p>Threading: like a session, a context is used by one thread at a time; {@link #close} may
 * come from another. The lazily created session and producer are created under {@code this}.
 */
public final class CourierJMSContext implements JMSContext {

    private final ContextConnection shared;
    private final int sessionMode;
    private CourierSession session;
    /** Written once under {@code this}; volatile so sends read it without locking. */
    private volatile CourierMessageProducer producer;
    private volatile boolean autoStart = true;
    private volatile boolean closed;

    private CourierJMSContext(ContextConnection shared, int sessionMode) {
        this.shared = shared;
        this.sessionMode = sessionMode;
    }

    /** A context owning a new connection; the session mode must have passed {@link #checkSessionMode}. */
    static CourierJMSContext open(CourierConnection connection, int sessionMode) {
        return new CourierJMSContext(new ContextConnection(connection), sessionMode);
    }

    /** @throws JMSRuntimeException if the mode is not one of the four JMSContext session modes */
    static void checkSessionMode(int mode) {
        if (mode != SESSION_TRANSACTED && mode != AUTO_ACKNOWLEDGE && mode != CLIENT_ACKNOWLEDGE
                && mode != DUPS_OK_ACKNOWLEDGE) {
            throw new JMSRuntimeException("invalid session mode " + mode);
        }
    }

    // ---- the session and the producer behind this context

    private synchronized CourierSession session() throws JMSException {
        if (closed) {
            throw new jakarta.jms.IllegalStateException("JMSContext is closed");
        }
        if (session == null) {
            session = (CourierSession) shared.connection.createSession(sessionMode);
        }
        return session;
    }

    /** The anonymous producer every {@link JMSProducer} of this context sends with. */
    CourierMessageProducer anonymousProducer() throws JMSException {
        CourierMessageProducer current = producer;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (producer == null) {
                producer = (CourierMessageProducer) session().createProducer(null);
            }
            return producer;
        }
    }

    private synchronized CourierSession existingSession() {
        return session;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateRuntimeException("JMSContext is closed");
        }
    }

    // ---- contexts and connection

    @Override
    public JMSContext createContext(int mode) {
        checkOpen();
        checkSessionMode(mode);
        JmsRuntimeExceptions.run(shared::acquire);
        return new CourierJMSContext(shared, mode);
    }

    @Override
    public String getClientID() {
        checkOpen();
        return JmsRuntimeExceptions.call(shared.connection::getClientID);
    }

    @Override
    public void setClientID(String clientID) {
        checkOpen();
        JmsRuntimeExceptions.run(() -> shared.connection.setClientID(clientID));
    }

    @Override
    public ConnectionMetaData getMetaData() {
        checkOpen();
        return JmsRuntimeExceptions.call(shared.connection::getMetaData);
    }

    @Override
    public ExceptionListener getExceptionListener() {
        checkOpen();
        return JmsRuntimeExceptions.call(shared.connection::getExceptionListener);
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        checkOpen();
        JmsRuntimeExceptions.run(() -> shared.connection.setExceptionListener(listener));
    }

    @Override
    public void start() {
        checkOpen();
        JmsRuntimeExceptions.run(shared.connection::start);
    }

    /** Refused from this context's own message listener, which stop would otherwise wait for. */
    @Override
    public void stop() {
        checkOpen();
        CourierSession current = existingSession();
        if (current != null && current.isListenerThread()) {
            throw new IllegalStateRuntimeException("stop must not be called from a MessageListener of its own JMSContext");
        }
        JmsRuntimeExceptions.run(shared.connection::stop);
    }

    @Override
    public void setAutoStart(boolean value) {
        checkOpen();
        autoStart = value;
    }

    @Override
    public boolean getAutoStart() {
        checkOpen();
        return autoStart;
    }

    /**
     * Closes the session (waiting for running listeners and outstanding asynchronous sends) and,
     * if this is the last context on it, the connection. Refused from this context's own message
     * listener or completion listener, as either would wait for itself.
     */
    @Override
    public void close() {
        CourierSession current = existingSession();
        if (closed) {
            return;
        }
        if (current != null && current.isListenerThread()) {
            throw new IllegalStateRuntimeException("close must not be called from a MessageListener of its own JMSContext");
        }
        if (current != null && current.isCompletionThread()) {
            throw new IllegalStateRuntimeException(
                    "close must not be called from a CompletionListener of its own JMSContext");
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current = session;
        }
        CourierSession toClose = current;
        JmsRuntimeExceptions.run(() -> {
            try {
                if (toClose != null) {
                    toClose.close();
                }
            } finally {
                shared.release();
            }
        });
    }

    // ---- session mode, acknowledgement and transactions

    @Override
    public int getSessionMode() {
        checkOpen();
        return sessionMode;
    }

    @Override
    public boolean getTransacted() {
        checkOpen();
        return sessionMode == SESSION_TRANSACTED;
    }

    @Override
    public void commit() {
        JmsRuntimeExceptions.run(() -> session().commit());
    }

    @Override
    public void rollback() {
        JmsRuntimeExceptions.run(() -> session().rollback());
    }

    @Override
    public void recover() {
        JmsRuntimeExceptions.run(() -> session().recover());
    }

    /** Acknowledges everything this context's session consumed; does nothing unless CLIENT_ACKNOWLEDGE. */
    @Override
    public void acknowledge() {
        checkOpen();
        if (sessionMode == CLIENT_ACKNOWLEDGE) {
            JmsRuntimeExceptions.run(() -> session().acknowledgeAll());
        }
    }

    // ---- producers and consumers

    @Override
    public JMSProducer createProducer() {
        checkOpen();
        return new CourierJMSProducer(this);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        return consumer(() -> session().createConsumer(destination));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector) {
        return consumer(() -> session().createConsumer(destination, messageSelector));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal) {
        return consumer(() -> session().createConsumer(destination, messageSelector, noLocal));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) {
        return consumer(() -> session().createSharedConsumer(topic, sharedSubscriptionName));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector) {
        return consumer(() -> session().createSharedConsumer(topic, sharedSubscriptionName, messageSelector));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        return consumer(() -> session().createDurableConsumer(topic, name));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal) {
        return consumer(() -> session().createDurableConsumer(topic, name, messageSelector, noLocal));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        return consumer(() -> session().createSharedDurableConsumer(topic, name));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) {
        return consumer(() -> session().createSharedDurableConsumer(topic, name, messageSelector));
    }

    /** Wraps a new classic consumer and, with auto-start on, starts the connection. */
    private JMSConsumer consumer(JmsRuntimeExceptions.JmsCall<MessageConsumer> create) {
        checkOpen();
        return JmsRuntimeExceptions.call(() -> {
            CourierMessageConsumer consumer = (CourierMessageConsumer) create.call();
            if (autoStart) {
                shared.connection.start();
            }
            return new CourierJMSConsumer(consumer);
        });
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        return JmsRuntimeExceptions.call(() -> session().createBrowser(queue));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) {
        return JmsRuntimeExceptions.call(() -> session().createBrowser(queue, messageSelector));
    }

    @Override
    public void unsubscribe(String name) {
        JmsRuntimeExceptions.run(() -> session().unsubscribe(name));
    }

    // ---- destinations

    @Override
    public Queue createQueue(String queueName) {
        return JmsRuntimeExceptions.call(() -> session().createQueue(queueName));
    }

    @Override
    public Topic createTopic(String topicName) {
        return JmsRuntimeExceptions.call(() -> session().createTopic(topicName));
    }

    @Override
    public TemporaryQueue createTemporaryQueue() {
        return JmsRuntimeExceptions.call(() -> session().createTemporaryQueue());
    }

    @Override
    public TemporaryTopic createTemporaryTopic() {
        return JmsRuntimeExceptions.call(() -> session().createTemporaryTopic());
    }

    // ---- messages: plain objects, no session needed

    @Override
    public Message createMessage() {
        checkOpen();
        return new CourierMessage();
    }

    @Override
    public BytesMessage createBytesMessage() {
        checkOpen();
        return new CourierBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() {
        checkOpen();
        return new CourierMapMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() {
        checkOpen();
        return new CourierObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) {
        checkOpen();
        CourierObjectMessage message = new CourierObjectMessage();
        JmsRuntimeExceptions.run(() -> message.setObject(object));
        return message;
    }

    @Override
    public StreamMessage createStreamMessage() {
        checkOpen();
        return new CourierStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() {
        checkOpen();
        return new CourierTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) {
        checkOpen();
        CourierTextMessage message = new CourierTextMessage();
        JmsRuntimeExceptions.run(() -> message.setText(text));
        return message;
    }

    @Override
    public String toString() {
        return "CourierJMSContext[" + shared.connection + ", mode " + sessionMode + "]";
    }
}
