package dev.courier.jms;

import dev.courier.message.Address;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryTopic;

/** A topic that lives as long as the connection that created it. */
public final class CourierTemporaryTopic extends CourierTopic implements TemporaryTopic {

    private static final long serialVersionUID = 1L;

    private final transient TemporaryDestinationOwner owner;

    CourierTemporaryTopic(String name, TemporaryDestinationOwner owner) {
        super(Address.of(Address.Kind.TEMPORARY_TOPIC, name));
        this.owner = owner;
    }

    @Override
    public void delete() throws JMSException {
        if (owner == null) {
            throw new JMSException("only the connection that created " + this + " can delete it");
        }
        owner.deleteTemporaryDestination(this);
    }
}
