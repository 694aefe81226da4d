package dev.courier.jms;

import dev.courier.message.Address;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.Topic;
import java.io.Serializable;

/**
 * Base of Courier's destinations: a JMS face over an {@link Address}.
 * Two destinations are equal when their addresses are.
 */
public abstract class CourierDestination implements Destination, Serializable {

    private static final long serialVersionUID = 1L;

    private final Address address;

    CourierDestination(Address address) {
        this.address = address;
    }

    /** The broker-side address this destination names. */
    public final Address address() {
        return address;
    }

    /** The physical name, as given to {@code createQueue}/{@code createTopic}. */
    public final String name() {
        return address.name();
    }

    /**
     * The JMS object for an address, as a receiver sees it in {@code JMSDestination} or
     * {@code JMSReplyTo}. Temporary destinations made here have no owner and cannot be deleted.
     */
    public static CourierDestination of(Address address) {
        if (address == null) {
            return null;
        }
        switch (address.kind()) {
            case QUEUE:
                return new CourierQueue(address.name());
            case TOPIC:
                return new CourierTopic(address.name());
            case TEMPORARY_QUEUE:
                return new CourierTemporaryQueue(address.name(), null);
            case TEMPORARY_TOPIC:
                return new CourierTemporaryTopic(address.name(), null);
            default:
                throw new IllegalArgumentException("unknown kind " + address.kind());
        }
    }

    /**
     * Converts any provider's destination to Courier's, by name, as the spec allows for
     * messages and destinations of other providers.
     *
     * @throws jakarta.jms.InvalidDestinationException when it is neither a Queue nor a Topic
     */
    public static CourierDestination from(Destination destination) throws JMSException {
        if (destination == null || destination instanceof CourierDestination) {
            return (CourierDestination) destination;
        }
        if (destination instanceof Queue) {
            String name = ((Queue) destination).getQueueName();
            return destination instanceof jakarta.jms.TemporaryQueue
                    ? new CourierTemporaryQueue(name, null) : new CourierQueue(name);
        }
        if (destination instanceof Topic) {
            String name = ((Topic) destination).getTopicName();
            return destination instanceof jakarta.jms.TemporaryTopic
                    ? new CourierTemporaryTopic(name, null) : new CourierTopic(name);
        }
        throw new jakarta.jms.InvalidDestinationException(
                "not a Queue or a Topic: " + destination.getClass().getName());
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof CourierDestination && address.equals(((CourierDestination) o).address);
    }

    @Override
    public final int hashCode() {
        return address.hashCode();
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
