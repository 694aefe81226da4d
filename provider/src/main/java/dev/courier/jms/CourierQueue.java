package dev.courier.jms;

import dev.courier.message.Address;
import jakarta.jms.Queue;

/** A queue, named by its physical name; created on the broker on first use. */
public class CourierQueue extends CourierDestination implements Queue {

    private static final long serialVersionUID = 1L;

    public CourierQueue(String name) {
        super(Address.queue(name));
    }

    CourierQueue(Address address) {
        super(address);
    }

    @Override
    public String getQueueName() {
        return name();
    }
}
