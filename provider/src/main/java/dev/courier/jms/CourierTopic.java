package dev.courier.jms;

import dev.courier.message.Address;
import jakarta.jms.Topic;

/** A topic, named by its physical name; created on the broker on first use. */
public class CourierTopic extends CourierDestination implements Topic {

    private static final long serialVersionUID = 1L;

    public CourierTopic(String name) {
        super(Address.topic(name));
    }

    CourierTopic(Address address) {
        super(address);
    }

    @Override
    public String getTopicName() {
        return name();
    }
}
