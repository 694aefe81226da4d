package dev.courier.jms;

import dev.courier.client.BrokerLink;
import dev.courier.jms.message.CourierMessage;
import dev.courier.message.Address;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JMS connection over one {@link BrokerLink}.
 *
 * <p>Threading: any thread may call any method. Lifecycle changes (client ID, start, stop,
 * close) are serialized on {@code this}. Message listeners run on {@link ListenerWorkers} owned by
 * this connection, created on first use and shut down on close, one pass at a time per session.
 */
public class CourierConnection implements QueueConnection, TopicConnection, TemporaryDestinationOwner {

    private static final AtomicInteger CONNECTION_NUMBERS = new AtomicInteger();

    final BrokerLink link;
    final ConnectionOptions options;
    private final int number = CONNECTION_NUMBERS.incrementAndGet();
    private final Set<CourierSession> sessions = new CopyOnWriteArraySet<>();
    private final AtomicLong nextConsumerId = new AtomicLong();
    private final String messageIdPrefix = "ID:courier-" + java.util.UUID.randomUUID() + "-";
    private final AtomicLong nextMessageId = new AtomicLong();
    private final AtomicInteger listenerThreads = new AtomicInteger();
    private volatile boolean started;
    /** Set first when closing: delivery stops. */
    private volatile boolean closing;
    /** Set once every session has closed: from then on the connection refuses calls. */
    private volatile boolean closed;
    private volatile ExceptionListener exceptionListener;
    private String clientId;
    private boolean clientIdLocked;
    private volatile ListenerWorkers listenerWorkers;

    CourierConnection(BrokerLink link, ConnectionOptions options) {
        this.link = link;
        this.options = options;
        link.setFailureListener(this::linkFailed);
    }

    /**
     * The link to the broker failed: tells the exception listener, on a thread of its own so
     * the listener may close this connection (which waits for the link's threads).
     */
    private void linkFailed(JMSException cause) {
        ExceptionListener listener = exceptionListener;
        if (listener == null || closing) {
            return;
        }
        Thread notifier = new Thread(() -> listener.onException(cause), "courier-exception-" + number);
        notifier.setDaemon(true);
        notifier.start();
    }

    /** A client ID configured in the factory: set at once and not changeable by the application. */
    void assignClientId(String id) throws JMSException {
        link.setClientId(id);
        clientId = id;
        clientIdLocked = true;
    }

    @Override
    public synchronized String getClientID() throws JMSException {
        checkOpen();
        return clientId;
    }

    @Override
    public synchronized void setClientID(String id) throws JMSException {
        checkOpen();
        if (clientIdLocked) {
            throw new IllegalStateException(clientId != null
                    ? "client ID is already set to '" + clientId + "'"
                    : "client ID must be set before the connection is used");
        }
        if (id == null || id.isEmpty()) {
            throw new InvalidClientIDException("client ID must not be null or empty");
        }
        link.setClientId(id);
        clientId = id;
        clientIdLocked = true;
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        checkOpen();
        return CourierConnectionMetaData.INSTANCE;
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        return exceptionListener;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        exceptionListener = listener;
    }

    @Override
    public void start() throws JMSException {
        synchronized (this) {
            checkOpen();
            clientIdLocked = true;
            if (started) {
                return;
            }
            started = true;
        }
        // Outside the monitor: granting credit may wait for the broker, whose deliveries need it.
        for (CourierSession session : sessions) {
            session.connectionStarted();
        }
    }

    /** Pauses delivery; returns once no listener of this connection is running. */
    @Override
    public void stop() throws JMSException {
        checkOpen();
        refuseFromOwnListener("stop");
        synchronized (this) {
            clientIdLocked = true;
            started = false;
        }
        for (CourierSession session : sessions) {
            session.awaitListenerIdle();
        }
        for (CourierSession session : sessions) {
            if (started) {
                return;
            }
            session.connectionStopped();
        }
    }

    boolean isStarted() {
        return started && !closing;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Closes the connection: running listeners finish first, with the connection still usable.
     * A listener may not close its own connection (it would wait for itself): of the two
     * behaviours JMS 3.1 allows, Courier throws {@code IllegalStateException}, as the TCK expects.
     */
    @Override
    public void close() throws JMSException {
        for (CourierSession session : sessions) {
            if (session.isCompletionThread()) {
                throw new IllegalStateException("close must not be called from a CompletionListener"
                        + " of its own connection");
            }
        }
        if (closing) {
            return;
        }
        refuseFromOwnListener("close");
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            started = false;
        }
        // A reconnecting link stops waiting for its broker, so sessions close without it.
        link.closing();
        // Sessions wait for their asynchronous sends: none may be left waiting for room.
        link.stopWaiting();
        JMSException failure = null;
        for (CourierSession session : sessions) {
            try {
                session.close();
            } catch (JMSException e) {
                failure = failure == null ? e : failure;
            }
        }
        synchronized (this) {
            closed = true;
        }
        closeLink();
        if (failure != null) {
            throw failure;
        }
    }

    private void refuseFromOwnListener(String operation) throws IllegalStateException {
        for (CourierSession session : sessions) {
            if (session.isListenerThread()) {
                throw new IllegalStateException(operation + " must not be called from a MessageListener"
                        + " of its own connection");
            }
        }
    }

    private void closeLink() {
        link.close();
        ListenerWorkers workers;
        synchronized (this) {
            workers = listenerWorkers;
            listenerWorkers = null;
        }
        if (workers != null) {
            workers.shutdown();
        }
    }

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return newSession(transacted, acknowledgeMode, CourierSession.Domain.ANY);
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return newSession(sessionMode == Session.SESSION_TRANSACTED, sessionMode, CourierSession.Domain.ANY);
    }

    @Override
    public Session createSession() throws JMSException {
        return newSession(false, Session.AUTO_ACKNOWLEDGE, CourierSession.Domain.ANY);
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return newSession(transacted, acknowledgeMode, CourierSession.Domain.QUEUE);
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return newSession(transacted, acknowledgeMode, CourierSession.Domain.TOPIC);
    }

    private CourierSession newSession(boolean transacted, int acknowledgeMode, CourierSession.Domain domain)
            throws JMSException {
        checkOpen();
        lockClientId();
        int mode = transacted ? Session.SESSION_TRANSACTED : acknowledgeMode;
        if (mode != Session.SESSION_TRANSACTED && mode != Session.AUTO_ACKNOWLEDGE
                && mode != Session.CLIENT_ACKNOWLEDGE && mode != Session.DUPS_OK_ACKNOWLEDGE) {
            throw new JMSException("invalid acknowledge mode " + acknowledgeMode);
        }
        CourierSession session = new CourierSession(this, mode, domain);
        sessions.add(session);
        return session;
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw unsupportedConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw unsupportedConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw unsupportedConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw unsupportedConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw unsupportedConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw unsupportedConnectionConsumer();
    }

    private JMSException unsupportedConnectionConsumer() throws JMSException {
        checkOpen();
        return new JMSException("connection consumers (ServerSessionPool) are an application-server facility"
                + " that Courier does not offer in Java SE");
    }

    @Override
    public void deleteTemporaryDestination(CourierDestination destination) throws JMSException {
        checkOpen();
        link.deleteTemporary(destination.address());
    }

    CourierDestination createTemporary(Address.Kind kind) throws JMSException {
        Address address = link.createTemporary(kind);
        return kind == Address.Kind.TEMPORARY_QUEUE
                ? new CourierTemporaryQueue(address.name(), this)
                : new CourierTemporaryTopic(address.name(), this);
    }

    long nextConsumerId() {
        return nextConsumerId.incrementAndGet();
    }

    String nextMessageId() {
        return messageIdPrefix + nextMessageId.incrementAndGet();
    }

    /** Gives {@code message} the next ID without building its string (see {@link CourierMessage#setGeneratedMessageId}). */
    void assignNextMessageId(CourierMessage message) {
        message.setGeneratedMessageId(messageIdPrefix, nextMessageId.incrementAndGet());
    }

    void sessionClosed(CourierSession session) {
        sessions.remove(session);
    }

    /** Queues a session's listener deliveries for this connection's listener threads. */
    void scheduleListeners(ListenerDispatcher dispatcher) {
        ListenerWorkers workers = listenerWorkers;
        if (workers == null) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (listenerWorkers == null) {
                    listenerWorkers = new ListenerWorkers("courier-listener-" + number + "-", listenerThreads);
                }
                workers = listenerWorkers;
            }
        }
        workers.submit(dispatcher);
    }

    private boolean isListenerThread() {
        return Thread.currentThread().getName().startsWith("courier-listener-" + number + "-");
    }

    private synchronized void lockClientId() {
        clientIdLocked = true;
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("connection is closed");
        }
    }
}
