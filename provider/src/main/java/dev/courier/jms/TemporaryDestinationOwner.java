package dev.courier.jms;

import jakarta.jms.JMSException;

/** The connection that created a temporary destination, and so may delete it. */
interface TemporaryDestinationOwner {

    void deleteTemporaryDestination(CourierDestination destination) throws JMSException;
}
