package dev.courier.jms;

import dev.courier.broker.ConsumerSpec;
import jakarta.jms.JMSException;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The open consumers of one session, and their life on the broker: opened there with their
 * first credit, lent credit and woken when the connection starts, emptied when it stops, and
 * detached with their buffered deliveries given back when they close.
 *
 * <p>Threading: the application's thread opens and closes consumers while the session's listener
 * pass and the connection's start and stop iterate them, so the set is copy-on-write; consumers
 * come and go rarely. Broker calls are made without holding any lock.
 */
final class SessionConsumers implements Iterable<CourierMessageConsumer> {

    private final CourierSession session;
    private final Set<CourierMessageConsumer> consumers = new CopyOnWriteArraySet<>();

    SessionConsumers(CourierSession session) {
        this.session = session;
    }

    /** Opens a consumer on the broker; it is one of these from before the broker knows it. */
    CourierMessageConsumer open(CourierDestination destination, String selector, boolean noLocal,
                                String subscriptionName, boolean durable, boolean shared) throws JMSException {
        CourierConnection connection = session.connection;
        CourierMessageConsumer consumer = new CourierMessageConsumer(session, connection.nextConsumerId(), destination,
                selector, noLocal, connection.options.consumerWindow());
        ConsumerSpec spec = new ConsumerSpec(destination.address(), selector, noLocal, subscriptionName, durable,
                shared, consumer.initialCredit());
        consumers.add(consumer);
        try {
            connection.link.openConsumer(consumer.id, spec, consumer);
        } catch (JMSException e) {
            consumers.remove(consumer);
            throw e;
        }
        consumer.grantCreditIfStarted();
        return consumer;
    }

    /** The connection started: each consumer is lent credit and a waiting {@code receive} woken. */
    void connectionStarted() throws JMSException {
        for (CourierMessageConsumer consumer : consumers) {
            consumer.grantCreditIfStarted();
            consumer.wake();
        }
    }

    /** The connection stopped (and no listener runs): consumers give back what they hold. */
    void connectionStopped() throws JMSException {
        for (CourierMessageConsumer consumer : consumers) {
            consumer.connectionStopped();
        }
    }

    /** Detaches the consumer from the broker, then returns what it had buffered, undelivered. */
    void close(CourierMessageConsumer consumer) throws JMSException {
        consumer.stopDelivery();
        session.connection.link.closeConsumer(consumer.id);
        long[] buffered = consumer.drainBuffered();
        if (buffered.length > 0) {
            session.connection.link.release(buffered, false);
        }
        consumers.remove(consumer);
    }

    /** Closes every consumer, as the session closes. */
    void closeAll() throws JMSException {
        for (CourierMessageConsumer consumer : consumers) {
            close(consumer);
        }
    }

    @Override
    public Iterator<CourierMessageConsumer> iterator() {
        return consumers.iterator();
    }
}
