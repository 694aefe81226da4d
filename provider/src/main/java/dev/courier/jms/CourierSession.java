package dev.courier.jms;

import dev.courier.jms.message.CourierBytesMessage;
import dev.courier.jms.message.CourierMapMessage;
import dev.courier.jms.message.CourierMessage;
import dev.courier.jms.message.CourierObjectMessage;
import dev.courier.jms.message.CourierStreamMessage;
import dev.courier.jms.message.CourierTextMessage;
import dev.courier.message.Address;
import dev.courier.message.MessageRecord;
import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import java.io.Serializable;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * A session: a serial stream of deliveries to its consumers, and the unit of acknowledgement and
 * local transactions.
 *
 * <p>This class is the JMS face of the session: its checks and factories. Its parts: the
 * consumers and their life on the broker ({@link SessionConsumers}); how deliveries reach the
 * application and are settled by the acknowledgement mode ({@link SessionDelivery}); what is
 * unsettled and the sends a transaction holds ({@link SessionWork}); the listener passes
 * ({@link ListenerDispatcher}); asynchronous sends ({@link AsyncSends}).
 *
 * <p>Threading: as the specification requires, the application uses a session from one thread
 * at a time (its listeners' thread while any listener is set); only {@link #close} may come
 * from another thread. Listener deliveries run on the session's {@link ListenerDispatcher}, so
 * stop and close can wait for a running listener. Asynchronous sends and their completion
 * callbacks run on the session's {@link AsyncSends} thread, created on the first such send and
 * stopped when the session closes.
 */
public class CourierSession implements QueueSession, TopicSession {

    /** Which API created the session: the domain-specific ones refuse the other domain's calls. */
    enum Domain { ANY, QUEUE, TOPIC }

    final CourierConnection connection;
    private final int mode;
    private final Domain domain;
    private final SessionConsumers consumers = new SessionConsumers(this);
    private final Set<CourierMessageProducer> producers = new CopyOnWriteArraySet<>();
    private final ListenerDispatcher listeners = new ListenerDispatcher(this);
    private final SessionWork work;
    /** Consumers hand it their deliveries for the application. */
    final SessionDelivery delivery;
    /** Set first when closing: no further listener delivery starts. */
    private volatile boolean closing;
    /** Set once a running listener has returned: from then on the session refuses calls. */
    private volatile boolean closed;
    /** Created by the first asynchronous send (under {@code this}); read without locking. */
    private volatile AsyncSends asyncSends;

    CourierSession(CourierConnection connection, int mode, Domain domain) {
        this.connection = connection;
        this.mode = mode;
        this.domain = domain;
        this.work = new SessionWork(connection.link);
        this.delivery = new SessionDelivery(mode, connection.link, work, connection.options.deserialization(),
                this::acknowledgeAll);
    }

    // ---- acknowledgement and transactions

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return mode == SESSION_TRANSACTED;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen();
        return mode;
    }

    @Override
    public void commit() throws JMSException {
        checkOpen();
        if (mode != SESSION_TRANSACTED) {
            throw new IllegalStateException("commit is only allowed on a transacted session");
        }
        refuseFromCompletionListener("commit");
        awaitAsyncSends();
        work.commit();
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        if (mode != SESSION_TRANSACTED) {
            throw new IllegalStateException("rollback is only allowed on a transacted session");
        }
        refuseFromCompletionListener("rollback");
        awaitAsyncSends();
        work.rollback();
    }

    @Override
    public void recover() throws JMSException {
        checkOpen();
        if (mode == SESSION_TRANSACTED) {
            throw new IllegalStateException("recover is not allowed on a transacted session; use rollback");
        }
        work.redeliver();
    }

    /** {@code Message.acknowledge()} in CLIENT_ACKNOWLEDGE mode: settles everything the session consumed. */
    void acknowledgeAll() throws JMSException {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        work.acknowledgeAll();
    }

    // ---- listener delivery

    void scheduleListenerDelivery() {
        listeners.schedule();
    }

    void connectionStarted() throws JMSException {
        consumers.connectionStarted();
        scheduleListenerDelivery();
    }

    /** The connection stopped (and no listener runs): consumers give back what they hold. */
    void connectionStopped() throws JMSException {
        consumers.connectionStopped();
    }

    /** True when the calling thread is running one of this session's listeners. */
    boolean isListenerThread() {
        return listeners.isListenerThread();
    }

    /** Returns when no listener of this session is running, unless the caller is that listener. */
    void awaitListenerIdle() {
        listeners.awaitIdle();
    }

    Iterable<CourierMessageConsumer> consumers() {
        return consumers;
    }

    boolean isClosing() {
        return closing;
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return null;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        throw new JMSException("session-level message listeners are an application-server facility;"
                + " set a listener on a MessageConsumer instead");
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("Session.run is an application-server facility");
    }

    // ---- closing

    /**
     * Closes the session. A running listener finishes first, with the session still usable; a
     * second close waits the same way. A listener may not close its own session (it would wait
     * for itself): of the two behaviours JMS 3.1 allows, Courier throws
     * {@code IllegalStateException}, as the TCK expects.
     */
    @Override
    public void close() throws JMSException {
        refuseFromCompletionListener("close");
        if (isListenerThread()) {
            throw new IllegalStateException("close must not be called from a MessageListener of its own session");
        }
        if (closing) {
            awaitListenerIdle();
            return;
        }
        closing = true;
        awaitListenerIdle();
        AsyncSends sends;
        synchronized (this) {
            // Read under the lock sendAsync creates it with, so none can appear after this point.
            sends = asyncSends;
        }
        if (sends != null) {
            sends.close();
        }
        closed = true;
        for (CourierMessageProducer producer : producers) {
            producer.markClosed();
        }
        producers.clear();
        consumers.closeAll();
        work.abandon();
        connection.sessionClosed(this);
    }

    /** Closes one consumer: no new listener call starts; a running one (on another thread) finishes first. */
    void closeConsumer(CourierMessageConsumer consumer) throws JMSException {
        consumer.stopDelivery();
        listeners.sendAcknowledgementsFromListener();
        awaitListenerIdle();
        consumers.close(consumer);
    }

    void producerClosed(CourierMessageProducer producer) {
        producers.remove(producer);
    }

    boolean isClosed() {
        return closed;
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        connection.checkOpen();
    }

    // ---- sending

    /**
     * Sends on the session's completion thread, then calls the listener there; a failed send
     * reaches {@code onException}. {@code owner} is the producer, so it can recognise its own callbacks.
     */
    void sendAsync(Object owner, MessageRecord record, Message message, jakarta.jms.CompletionListener listener)
            throws JMSException {
        AsyncSends sends;
        synchronized (this) {
            checkOpen();
            // Once close has begun, only the listener it waits for may still send: a sender made
            // for another thread after close read the field would never be closed.
            if (closing && !isListenerThread()) {
                throw new IllegalStateException("session is closing");
            }
            if (asyncSends == null) {
                asyncSends = new AsyncSends(this::send);
            }
            sends = asyncSends;
        }
        sends.submit(owner, record, message, listener);
    }

    /** Waits for earlier asynchronous sends, so a later send or commit cannot overtake them. */
    void awaitAsyncSends() {
        AsyncSends sends = asyncSends;
        if (sends != null) {
            sends.awaitIdle();
        }
    }

    /** True when the caller is a CompletionListener callback of this session. */
    boolean isCompletionThread() {
        AsyncSends sends = asyncSends;
        return sends != null && sends.isCompletionThread();
    }

    /** True when the caller is a CompletionListener callback of a send by {@code producer}. */
    boolean isCompletionThreadOf(Object producer) {
        AsyncSends sends = asyncSends;
        return sends != null && sends.isCompletionThreadOf(producer);
    }

    private void refuseFromCompletionListener(String operation) throws IllegalStateException {
        if (isCompletionThread()) {
            throw new IllegalStateException(operation + " must not be called from a CompletionListener"
                    + " of its own session");
        }
    }

    /** Called by producers: a transacted session holds sends until commit. */
    void send(MessageRecord record) throws JMSException {
        if (mode == SESSION_TRANSACTED) {
            work.hold(record);
        } else {
            connection.link.send(record);
        }
    }

    // ---- factories

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        checkOpen();
        CourierMessageProducer producer = new CourierMessageProducer(this, CourierDestination.from(destination));
        producers.add(producer);
        return producer;
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        checkDomain(Domain.QUEUE, "createSender");
        return (QueueSender) createProducer(queue);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        checkDomain(Domain.TOPIC, "createPublisher");
        return (TopicPublisher) createProducer(topic);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return createConsumer(destination, null, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
        return createConsumer(destination, messageSelector, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal)
            throws JMSException {
        checkOpen();
        CourierDestination target = requireDestination(destination);
        return consumers.open(target, messageSelector, noLocal && !target.address().isQueue(), null, false, false);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return createReceiver(queue, null);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String messageSelector) throws JMSException {
        checkDomain(Domain.QUEUE, "createReceiver");
        return (QueueReceiver) createConsumer(queue, messageSelector, false);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return createSubscriber(topic, null, false);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal) throws JMSException {
        checkDomain(Domain.TOPIC, "createSubscriber");
        return (TopicSubscriber) createConsumer(topic, messageSelector, noLocal);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        checkDomain(Domain.TOPIC, "createDurableSubscriber");
        return openSubscription(topic, name, messageSelector, noLocal, true, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return createDurableConsumer(topic, name, null, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        checkDomain(Domain.TOPIC, "createDurableConsumer");
        return openSubscription(topic, name, messageSelector, noLocal, true, false);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        return createSharedConsumer(topic, sharedSubscriptionName, null);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector)
            throws JMSException {
        checkDomain(Domain.TOPIC, "createSharedConsumer");
        return openSubscription(topic, sharedSubscriptionName, messageSelector, false, false, true);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws JMSException {
        checkDomain(Domain.TOPIC, "createSharedDurableConsumer");
        return openSubscription(topic, name, messageSelector, false, true, true);
    }

    private CourierMessageConsumer openSubscription(Topic topic, String name, String selector, boolean noLocal,
                                                    boolean durable, boolean shared) throws JMSException {
        CourierDestination target = requireDestination(topic);
        if (target.address().isQueue()) {
            throw new InvalidDestinationException("subscriptions are made on topics, not on " + target);
        }
        if (name == null || name.isEmpty()) {
            throw new JMSException("subscription name must not be null or empty");
        }
        return consumers.open(target, selector, noLocal, name, durable, shared);
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkDomain(Domain.TOPIC, "unsubscribe");
        connection.link.unsubscribe(name);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        checkDomain(Domain.QUEUE, "createBrowser");
        CourierDestination target = requireDestination(queue);
        return new CourierQueueBrowser(this, (Queue) target, messageSelector);
    }

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        checkDomain(Domain.QUEUE, "createQueue");
        if (queueName == null || queueName.isEmpty()) {
            throw new InvalidDestinationException("queue name must not be null or empty");
        }
        return new CourierQueue(queueName);
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkDomain(Domain.TOPIC, "createTopic");
        if (topicName == null || topicName.isEmpty()) {
            throw new InvalidDestinationException("topic name must not be null or empty");
        }
        return new CourierTopic(topicName);
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkDomain(Domain.QUEUE, "createTemporaryQueue");
        return (TemporaryQueue) connection.createTemporary(Address.Kind.TEMPORARY_QUEUE);
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkDomain(Domain.TOPIC, "createTemporaryTopic");
        return (TemporaryTopic) connection.createTemporary(Address.Kind.TEMPORARY_TOPIC);
    }

    @Override
    public Message createMessage() throws JMSException {
        checkOpen();
        return new CourierMessage();
    }

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        checkOpen();
        return new CourierBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        checkOpen();
        return new CourierMapMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        checkOpen();
        return new CourierObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        checkOpen();
        CourierObjectMessage message = new CourierObjectMessage();
        message.setObject(object);
        return message;
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        checkOpen();
        return new CourierStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        checkOpen();
        return new CourierTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        checkOpen();
        CourierTextMessage message = new CourierTextMessage();
        message.setText(text);
        return message;
    }

    private static CourierDestination requireDestination(Destination destination) throws JMSException {
        if (destination == null) {
            throw new InvalidDestinationException("destination must not be null");
        }
        return CourierDestination.from(destination);
    }

    /** A QueueSession refuses topic-only calls and a TopicSession queue-only ones. */
    private void checkDomain(Domain required, String method) throws JMSException {
        checkOpen();
        if (domain != Domain.ANY && domain != required) {
            throw new IllegalStateException(method + " is not allowed on a "
                    + (domain == Domain.QUEUE ? "QueueSession" : "TopicSession"));
        }
    }
}
